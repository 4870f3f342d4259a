import { counted, keyList } from './summary.js';

/** The tail of a message about a member who left or was removed: the tickets they no longer hold, summarised. */
export function unassignedNote(keys: string[]): string {
  return keys.length === 0 ? '' : `; unassigned ${counted(keys.length, 'ticket')} (${keyList(keys)})`;
}
