/**
 * Escaping for every output format the renderers write. Report text comes partly from the APIs
 * under test (values, error messages), so it is treated as hostile: nothing derived from a report
 * reaches an output without passing through one of these functions.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in HTML text and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * Characters XML 1.0 forbids even as character references (C0 controls other than tab, newline
 * and carriage return; lone surrogates; U+FFFE and U+FFFF). A single one makes a JUnit file
 * unparseable for GitLab and Jenkins, so they become U+FFFD instead.
 */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** Attribute values are normalised by XML parsers (newlines become spaces) unless written as references. */
const XML_ATTRIBUTE_ENTITIES: Record<string, string> = {
  ...XML_TEXT_ENTITIES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escapes element text; `>` too, so `]]>` never appears. */
export function escapeXmlText(text: string): string {
  return text.replace(XML_FORBIDDEN, '\uFFFD').replace(/[&<>]/g, (char) => XML_TEXT_ENTITIES[char] ?? char);
}

/** Escapes an attribute value (to be written in double quotes), keeping its newlines. */
export function escapeXmlAttribute(text: string): string {
  return text.replace(XML_FORBIDDEN, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (char) => XML_ATTRIBUTE_ENTITIES[char] ?? char);
}

/**
 * Backslash-escapes the ASCII punctuation that can start Markdown or inline HTML in GitHub- and
 * GitLab-flavoured Markdown (emphasis, links, code, tables, strikethrough, math, entities), and
 * folds line breaks into spaces so the text stays inside its table row or list item.
 * CommonMark allows a backslash before any ASCII punctuation, so escaping too much is harmless.
 */
export function escapeMarkdownText(text: string): string {
  return foldLineBreaks(text).replace(/[\\`*_{}[\]()<>#!|~&$]/g, (char) => `\\${char}`);
}

/**
 * An inline code span showing `text` verbatim: the fence is one backtick longer than the longest
 * backtick run inside, so backticks in the text cannot close it. Code spans are where hostile
 * values belong in Markdown: no HTML, links, emphasis or @-mentions are recognised inside them.
 * Pass `inTable` for table cells: GFM splits cells on `|` before it sees code spans, and removes
 * the backslash of `\|` even inside them.
 */
export function markdownCode(text: string, options: { inTable?: boolean } = {}): string {
  const content = foldLineBreaks(text, '↵');
  if (content === '') return '*(empty)*';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  // A space is stripped from each end when both are present; padding keeps edge backticks apart from the fence.
  const padded = /^[` ]|[` ]$/.test(content) ? ` ${content} ` : content;
  const span = `${fence}${padded}${fence}`;
  return options.inTable ? span.replace(/\|/g, '\\|') : span;
}

/** A fenced code block (its own lines) that no backtick run inside `text` can close early. */
export function markdownCodeBlock(text: string, language = 'text'): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${language}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}

function foldLineBreaks(text: string, replacement = ' '): string {
  return text.replace(/\r\n|\r|\n/g, replacement);
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
