// An email address as a person's terminal shows it. Addresses may be internationalised, and then
// аlice@example.com (a Cyrillic а) looks exactly like alice@example.com: in tables and details on a
// TTY every character outside printable ASCII is shown as a \u escape (and a backslash as \\, so
// an ASCII address cannot spell out the escape of another). JSON and piped output keep the exact text.
const NOT_PLAIN_ASCII = /[^\x20-\x5b\x5d-\x7e]/gu;

export function displayEmail(value: string): string {
  return value.replace(NOT_PLAIN_ASCII, (c) => {
    if (c === '\\') return '\\\\';
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}
