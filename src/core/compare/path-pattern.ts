/**
 * Patterns over the compared view of a response (`status`, `headers.<name>`, `body...`), used by
 * ignore rules, matchers and redaction. The syntax is the mapping's path syntax plus wildcards:
 * `body.results[].created_at` (`[]`: any array index), `body.*.id` (`*`: any one key or index),
 * `body.**.created_at` (`**`: any depth, including none). Header names are case-insensitive.
 */
export type PatternToken = { kind: 'key'; key: string } | { kind: 'index' } | { kind: 'any' } | { kind: 'deep' };

export interface PathPattern {
  text: string;
  tokens: readonly PatternToken[];
}

export class PatternSyntaxError extends Error {
  constructor(
    readonly patternText: string,
    reason: string,
  ) {
    super(`invalid path "${patternText}": ${reason}`);
    this.name = 'PatternSyntaxError';
  }
}

const SECTIONS = ['status', 'headers', 'body'];

export function parsePattern(text: string): PathPattern {
  if (typeof text !== 'string' || text.trim() === '') throw new PatternSyntaxError(String(text), 'a path cannot be empty');
  const match = /^([a-z]+)(.*)$/.exec(text);
  const section = match?.[1];
  if (!section || !SECTIONS.includes(section)) throw new PatternSyntaxError(text, `a path starts with one of ${SECTIONS.join(', ')} (what a v1 client sees)`);
  const rest = match![2]!;
  const tokens: PatternToken[] = [{ kind: 'key', key: section }];
  if (section === 'status') {
    if (rest !== '') throw new PatternSyntaxError(text, '"status" has no parts below it');
    return { text, tokens };
  }
  if (section === 'headers') {
    if (rest === '') return { text, tokens };
    if (!rest.startsWith('.') || rest.length === 1) throw new PatternSyntaxError(text, 'expected "headers.<name>"');
    const name = rest.slice(1).toLowerCase();
    tokens.push(name === '*' ? { kind: 'any' } : { kind: 'key', key: name });
    return { text, tokens };
  }
  if (rest === '') return { text, tokens };
  if (!rest.startsWith('.') && !rest.startsWith('[')) throw new PatternSyntaxError(text, 'expected "." after "body"');
  const below = rest.startsWith('.') ? rest.slice(1) : rest;
  below.split('.').forEach((part, index) => {
    const piece = /^([^[\]]*)((?:\[\])*)$/.exec(part);
    if (!piece) throw new PatternSyntaxError(text, `"${part}" is not a name, *, or ** optionally followed by []`);
    const [, name, brackets] = piece;
    if (name === '' && (brackets === '' || index > 0)) throw new PatternSyntaxError(text, 'empty name between dots');
    if (name === '**') {
      if (brackets) throw new PatternSyntaxError(text, '"**" cannot be followed by []');
      tokens.push({ kind: 'deep' });
    } else if (name === '*') tokens.push({ kind: 'any' });
    else if (name) tokens.push({ kind: 'key', key: name });
    for (let i = 0; i < brackets!.length / 2; i++) tokens.push({ kind: 'index' });
  });
  return { text, tokens };
}

/** True when the pattern names exactly this location. */
export function matchesExactly(pattern: PathPattern, segments: readonly string[]): boolean {
  return walk(pattern.tokens, 0, segments, 0, false);
}

/** True when the pattern names this location or one of its ancestors (an ignored object hides its fields). */
export function covers(pattern: PathPattern, segments: readonly string[]): boolean {
  return walk(pattern.tokens, 0, segments, 0, true);
}

function walk(tokens: readonly PatternToken[], t: number, segments: readonly string[], s: number, prefix: boolean): boolean {
  if (t === tokens.length) return prefix || s === segments.length;
  const token = tokens[t]!;
  if (token.kind === 'deep') {
    for (let skip = s; skip <= segments.length; skip++) if (walk(tokens, t + 1, segments, skip, prefix)) return true;
    return false;
  }
  if (s === segments.length) return false;
  const segment = segments[s]!;
  const fits = token.kind === 'any' || (token.kind === 'index' ? /^\d+$/.test(segment) : token.key === segment);
  return fits && walk(tokens, t + 1, segments, s + 1, prefix);
}

/** RFC 6901 pointer from segments: `['body', 'a/b']` -> `/body/a~1b`. */
export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
