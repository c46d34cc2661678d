/**
 * The one path syntax of mapping files.
 *
 * A message path addresses an HTTP message as a single document: `method`, `path`, `status`,
 * `params.id`, `query.page[number]`, `headers.x-total-count`, `body`, `body.a.b`,
 * `body.items[].id`, `body[]`. After `params.`, `query.` and `headers.` the rest is one key taken
 * verbatim (query keys such as `page[number]` contain brackets); header keys are lower-cased.
 * A field path addresses inside one resource object: `title`, `metadata.tags`, `related_ids[]`.
 * `[]` visits every element of an array.
 */

export type Segment = { kind: 'key'; key: string } | { kind: 'each' };

export interface ValuePath {
  text: string;
  segments: readonly Segment[];
  /** How many `[]` the path holds. */
  wildcards: number;
  /** Containers shallower than this are never deleted when a removal empties them. */
  pruneFrom: number;
}

export class PathSyntaxError extends Error {
  constructor(
    readonly pathText: string,
    reason: string,
  ) {
    super(`invalid path "${pathText}": ${reason}`);
    this.name = 'PathSyntaxError';
  }
}

const MESSAGE_SECTIONS = ['method', 'path', 'status', 'params', 'query', 'headers', 'body'] as const;
export type MessageSection = (typeof MESSAGE_SECTIONS)[number];

export function parseFieldPath(text: string): ValuePath {
  if (typeof text !== 'string' || text.trim() === '') throw new PathSyntaxError(String(text), 'a path cannot be empty');
  const segments = parseSegments(text, text);
  return makePath(text, segments, 1);
}

export function parseMessagePath(text: string): ValuePath {
  if (typeof text !== 'string' || text.trim() === '') throw new PathSyntaxError(String(text), 'a path cannot be empty');
  const match = /^([a-z]+)(.*)$/.exec(text);
  const section = match?.[1] as MessageSection | undefined;
  if (!section || !MESSAGE_SECTIONS.includes(section)) {
    throw new PathSyntaxError(text, `a message path starts with one of ${MESSAGE_SECTIONS.join(', ')}`);
  }
  const rest = match![2]!;
  if (section === 'method' || section === 'path' || section === 'status') {
    if (rest !== '') throw new PathSyntaxError(text, `"${section}" has no parts below it`);
    return makePath(text, [{ kind: 'key', key: section }], 2);
  }
  if (section === 'body') {
    if (rest === '') return makePath(text, [{ kind: 'key', key: 'body' }], 2);
    const below = rest.startsWith('.') ? rest.slice(1) : rest;
    if (!rest.startsWith('.') && !rest.startsWith('[')) throw new PathSyntaxError(text, 'expected "." after "body"');
    return makePath(text, [{ kind: 'key', key: 'body' }, ...parseSegments(below, text)], 2);
  }
  if (rest === '') return makePath(text, [{ kind: 'key', key: section }], 2);
  if (!rest.startsWith('.') || rest.length === 1) throw new PathSyntaxError(text, `expected "${section}.<name>"`);
  const key = section === 'headers' ? rest.slice(1).toLowerCase() : rest.slice(1);
  return makePath(text, [{ kind: 'key', key: section }, { kind: 'key', key }], 2);
}

function makePath(text: string, segments: Segment[], pruneFrom: number): ValuePath {
  return { text, segments, wildcards: segments.filter((s) => s.kind === 'each').length, pruneFrom };
}

function parseSegments(text: string, whole: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of text.split('.')) {
    const match = /^([^[\]]*)((?:\[\])*)$/.exec(part);
    if (!match) throw new PathSyntaxError(whole, `"${part}" is not a name optionally followed by []`);
    const [, name, brackets] = match;
    if (name === '' && (brackets === '' || segments.length > 0)) {
      throw new PathSyntaxError(whole, 'empty name between dots');
    }
    if (name) segments.push({ kind: 'key', key: name });
    for (let i = 0; i < brackets!.length / 2; i++) segments.push({ kind: 'each' });
  }
  return segments;
}

export interface Located {
  value: unknown;
  /** The array index taken at each `[]`, in order. */
  indices: number[];
}

/**
 * Every value the path reaches (undefined values are skipped). The walkers here run for every
 * op of every request, so they are module-level functions (no closure per call) and a path
 * without `[]` never builds index lists.
 */
export function collect(root: unknown, path: ValuePath): Located[] {
  if (path.wildcards === 0) {
    const value = getValue(root, path);
    return value === undefined ? [] : [{ value, indices: [] }];
  }
  const found: Located[] = [];
  collectInto(found, root, path.segments, 0, []);
  return found;
}

function collectInto(found: Located[], value: unknown, segments: readonly Segment[], depth: number, indices: number[]): void {
  if (value === undefined) return;
  if (depth === segments.length) {
    found.push({ value, indices });
    return;
  }
  const segment = segments[depth]!;
  if (segment.kind === 'each') {
    if (!Array.isArray(value)) return;
    for (let index = 0; index < value.length; index++) collectInto(found, value[index], segments, depth + 1, [...indices, index]);
  } else if (isRecord(value)) {
    collectInto(found, ownValue(value, segment.key), segments, depth + 1, indices);
  }
}

/** The value at a path without `[]`, or undefined. */
export function getValue(root: unknown, path: ValuePath): unknown {
  return valueAt(root, path.segments, path.segments.length);
}

/** The value reached by the first `length` segments, all keys; undefined past a non-object or a `[]`. */
function valueAt(root: unknown, segments: readonly Segment[], length: number): unknown {
  let value = root;
  for (let depth = 0; depth < length; depth++) {
    const segment = segments[depth]!;
    if (segment.kind === 'each' || !isRecord(value)) return undefined;
    value = ownValue(value, segment.key);
  }
  return value;
}

/**
 * Writes `value` at the path, creating objects and arrays on the way; each `[]` takes the
 * next entry of `indices`. Returns the root, which is replaced when the path is empty.
 */
export function setValue(root: unknown, path: ValuePath, value: unknown, indices: readonly number[] = []): unknown {
  if (path.segments.length === 0) return value;
  const container = isRecord(root) || Array.isArray(root) ? root : path.segments[0]!.kind === 'each' ? [] : {};
  let current: Record<string, unknown> | unknown[] = container;
  let wildcard = 0;
  for (let depth = 0; depth < path.segments.length; depth++) {
    const segment = path.segments[depth]!;
    const last = depth === path.segments.length - 1;
    const next = path.segments[depth + 1];
    const key: string | number = segment.kind === 'each' ? (indices[wildcard++] ?? 0) : segment.key;
    if (last) {
      assign(current, key, value);
      break;
    }
    let child = read(current, key);
    const wantArray = next?.kind === 'each';
    if (wantArray ? !Array.isArray(child) : !isRecord(child)) {
      child = wantArray ? [] : {};
      assign(current, key, child);
    }
    current = child as Record<string, unknown> | unknown[];
  }
  return container;
}

/** Deletes every value the path reaches, then deletes containers the deletion left empty. */
export function removeValue(root: unknown, path: ValuePath): void {
  if (path.segments.length > 0) removeAt(root, path.segments, 0, path.pruneFrom);
}

function removeAt(value: unknown, segments: readonly Segment[], depth: number, pruneFrom: number): boolean {
  const segment = segments[depth]!;
  const last = depth === segments.length - 1;
  if (segment.kind === 'each') {
    if (!Array.isArray(value)) return false;
    if (last) {
      const had = value.length > 0;
      value.length = 0;
      return had;
    }
    let changed = false;
    // Elements the deletion left empty are deleted too; an array left with nothing else is empty.
    let emptied = value.length > 0 && depth + 1 >= pruneFrom;
    for (const element of value) {
      const elementChanged = removeAt(element, segments, depth + 1, pruneFrom);
      changed = elementChanged || changed;
      if (!elementChanged || !isEmptyContainer(element)) emptied = false;
    }
    if (emptied) value.length = 0;
    return changed;
  }
  if (!isRecord(value) || !Object.hasOwn(value, segment.key)) return false;
  if (last) {
    delete value[segment.key];
    return true;
  }
  const child = value[segment.key];
  const changed = removeAt(child, segments, depth + 1, pruneFrom);
  if (changed && depth + 1 >= pruneFrom && isEmptyContainer(child)) {
    delete value[segment.key];
  }
  return changed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A document's own member only: a path such as `body.constructor` never reads Object.prototype. */
function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isEmptyContainer(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

function read(container: Record<string, unknown> | unknown[], key: string | number): unknown {
  return Array.isArray(container) ? container[Number(key)] : container[key];
}

function assign(container: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (Array.isArray(container)) container[Number(key)] = value;
  else container[key] = value;
}

/** The first segment of a message path: which part of the message it addresses. */
export function sectionOf(path: ValuePath): string {
  const first = path.segments[0];
  return first?.kind === 'key' ? first.key : '';
}

/** Replaces every value the path reaches (null included) by `update(value)`. */
export function updateEach(root: unknown, path: ValuePath, update: (value: unknown) => unknown): unknown {
  // The two shapes nearly every mapping uses, without building the list of locations first:
  // one value (`body`, `id`, `metadata.tags`) and every element of one array (`body[]`).
  if (path.wildcards === 0) {
    const value = getValue(root, path);
    return value === undefined ? root : setValue(root, path, update(value));
  }
  const last = path.segments.length - 1;
  if (path.wildcards === 1 && path.segments[last]!.kind === 'each') {
    const array = valueAt(root, path.segments, last);
    if (!Array.isArray(array)) return root;
    for (let index = 0; index < array.length; index++) {
      const element = array[index];
      if (element !== undefined) array[index] = update(element);
    }
    return root;
  }
  for (const { value, indices } of collect(root, path)) {
    root = setValue(root, path, update(value), indices);
  }
  return root;
}
