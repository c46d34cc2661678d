/*
 * Reads back the structure GitHub would see in report.md, following the GFM rules that matter for
 * escaping: table rows split on unescaped pipes, and code spans and fences hide their content from
 * every other Markdown and HTML rule.
 */

export interface MarkdownTable {
  header: string[];
  rows: string[][];
  /** Lines after the delimiter row up to the blank line that ends the table. */
  lines: string[];
}

/** Every GFM table: a header row, a delimiter row, then rows until a blank line. */
export function markdownTables(markdown: string): MarkdownTable[] {
  const lines = markdown.split('\n');
  const tables: MarkdownTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i] ?? '';
    if (!header.startsWith('|') || !/^\|(\s*-+:?\s*\|)+$/.test(lines[i + 1] ?? '')) continue;
    const body: string[] = [];
    let j = i + 2;
    while (j < lines.length && (lines[j] ?? '') !== '') body.push(lines[j++] ?? '');
    tables.push({ header: tableCells(header), rows: body.map(tableCells), lines: body });
    i = j;
  }
  return tables;
}

/** A row's cells: split on pipes not escaped by a backslash (GFM splits before seeing code spans). */
export function tableCells(row: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < row.length; i++) {
    const char = row[i];
    if (char === '\\' && i + 1 < row.length) {
      current += char + row[i + 1];
      i++;
    } else if (char === '|') {
      cells.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  cells.push(current);
  // A row starts and ends with a pipe, which leaves an empty piece at each end.
  return cells.slice(1, -1).map((cell) => cell.trim());
}

/** The text Markdown parses as markup: fenced blocks and code spans removed, escapes kept. */
export function outsideCode(markdown: string): string {
  return withoutCodeSpans(withoutFencedBlocks(markdown));
}

function withoutFencedBlocks(markdown: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opener = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && opener) fence = opener;
    else if (fence !== undefined && opener && opener.length >= fence.length && line.trim() === opener) fence = undefined;
    else if (fence === undefined) kept.push(line);
  }
  return kept.join('\n');
}

/** CommonMark: a run of n backticks opens a span closed by the next run of exactly n. */
function withoutCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && i + 1 < text.length) {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (text[i] !== '`') {
      out += text[i];
      i++;
      continue;
    }
    const run = runLength(text, i);
    const close = findRun(text, i + run, run);
    if (close < 0) {
      out += text.slice(i, i + run);
      i += run;
    } else {
      out += '[code]';
      i = close + run;
    }
  }
  return out;
}

function runLength(text: string, start: number): number {
  let end = start;
  while (text[end] === '`') end++;
  return end - start;
}

function findRun(text: string, from: number, length: number): number {
  for (let i = from; i < text.length; ) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const run = runLength(text, i);
    if (run === length) return i;
    i += run;
  }
  return -1;
}

/** Characters that are live markup: `char` where not preceded by an escaping backslash. */
export function unescapedPositions(text: string, char: string): number[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) positions.push(i);
  }
  return positions;
}
