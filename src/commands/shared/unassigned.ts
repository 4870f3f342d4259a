/** The tail of a message about a member who left or was removed: the tickets they no longer hold. */
export function unassignedNote(keys: string[]): string {
  return keys.length === 0 ? '' : `; unassigned ${keys.length} ticket${keys.length === 1 ? '' : 's'} (${keys.join(', ')})`;
}
