/**
 * Markdown for text an adapter or a driver wrote: HTML cannot open a tag, markdown cannot open a link, a
 * table cell cannot be split, and control characters are dropped. Newlines become spaces (one line per item).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

export function mdText(s: unknown): string {
  return String(s ?? '')
    .replace(CONTROL, '')
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]{}()#+!|~])/g, '\\$1');
}

/** An inline code span that no backtick inside can close early. */
export function mdCode(s: unknown): string {
  const text = String(s ?? '')
    .replace(CONTROL, '')
    .replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block that no line inside can close early. */
export function mdFence(lang: string, body: string): string[] {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, body.replace(CONTROL, ''), fence];
}
