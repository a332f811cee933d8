/**
 * Text for an XML 1.0 attribute or element: characters XML cannot carry at all (C0 controls other than tab,
 * newline and carriage return; lone surrogates; U+FFFE/U+FFFF) are replaced by U+FFFD, the five specials escaped.
 */
const NOT_XML = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

export function xmlEscape(s: string): string {
  return String(s)
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
