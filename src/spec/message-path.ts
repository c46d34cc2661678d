import { pathSegments } from './schema-shape.js';

/**
 * Message paths as lists of segments for comparing places: `body.items[].id` ->
 * ['body', 'items', '[]', 'id']; `query.page[number]` -> ['query', 'page[number]'] (after
 * `query.`, `params.`, `headers.` the rest is one key, as in mapping files).
 */
export function messageSegments(path: string): string[] {
  if (path === 'body' || path.startsWith('body.') || path.startsWith('body[')) return ['body', ...pathSegments(path.slice('body'.length))];
  const dot = path.indexOf('.');
  if (dot < 0) return [path];
  const section = path.slice(0, dot);
  const rest = path.slice(dot + 1);
  return [section, section === 'headers' ? rest.toLowerCase() : rest];
}

/** A JSON pointer inside a body as a message path: `/items/3/id` -> `body.items[].id`. */
export function bodyPointerPath(pointer: string): string {
  let path = 'body';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(part) ? '[]' : `.${part}`;
  }
  return path;
}

export function isWithin(inner: string[], outer: string[]): boolean {
  return outer.length <= inner.length && outer.every((segment, i) => inner[i] === segment);
}

/** How closely two places relate: 3 the same, 2 one holds the other, 1 the same leaf name, 0 unrelated. */
export function closeness(a: string, b: string): number {
  const [x, y] = [messageSegments(a), messageSegments(b)];
  if (x.length === y.length && isWithin(x, y)) return 3;
  if (isWithin(x, y) || isWithin(y, x)) return 2;
  const leaf = (segments: string[]) => segments.filter((s) => s !== '[]').at(-1);
  return leaf(x) && leaf(x) === leaf(y) ? 1 : 0;
}
