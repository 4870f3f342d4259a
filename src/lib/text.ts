/** A value the person typed, for a message: quoted and cut short (the CLI escapes what is unprintable). */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
}
