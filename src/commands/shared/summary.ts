// Summary lines about many things: "1,669 tickets", "ACME-1, ACME-2, ACME-3 … and 997 more".

/** How many keys a summary names before "… and N more". */
const SHOWN_KEYS = 3;

/** 1669 → "1,669" (without Intl: its first use costs ~20 ms of start-up). */
export const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "1 ticket", "1,669 tickets". */
export const counted = (n: number, noun: string) => `${thousands(n)} ${noun}${n === 1 ? '' : 's'}`;

export function keyList(keys: readonly string[]): string {
  const shown = keys.slice(0, SHOWN_KEYS).join(', ');
  return keys.length > SHOWN_KEYS ? `${shown} … and ${thousands(keys.length - SHOWN_KEYS)} more` : shown;
}
