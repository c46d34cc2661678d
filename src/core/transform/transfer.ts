import type { Converter } from './convert.js';
import { collect, getValue, removeValue, setValue, type Segment, type ValuePath } from './path.js';

const keep: Converter = (value) => value;

export interface TransferOptions {
  convert?: Converter;
  keepSource?: boolean;
}

/**
 * Moves (or copies) every value at `from` to `to` within one document; the n-th `[]` of `from`
 * lines up with the n-th `[]` of `to`, so `body.hits[].item` -> `body.results[]` keeps element
 * order. An empty source array yields an empty target array rather than nothing.
 */
export function transfer(root: unknown, from: ValuePath, to: ValuePath, options: TransferOptions = {}): unknown {
  return transferAcross(root, root, from, to, options);
}

/** The same between two documents (a supporting call's response into the main response). */
export function transferAcross(source: unknown, target: unknown, from: ValuePath, to: ValuePath, options: TransferOptions = {}): unknown {
  const convert = options.convert ?? keep;
  if (from.wildcards === 0 && to.wildcards === 0) {
    // One value from one place to one place (renames, most moves): no location lists.
    const value = getValue(source, from);
    if (value === undefined) return target;
    if (!options.keepSource) removeValue(source, from);
    return setValue(target, to, convert(options.keepSource ? copyOf(value) : value, from.text));
  }
  const found = collect(source, from);
  if (found.length === 0) return carryEmptyArray(source, target, from, to, options.keepSource ?? false);
  if (!options.keepSource) removeValue(source, from);
  for (const { value, indices } of found) {
    target = setValue(target, to, convert(options.keepSource ? copyOf(value) : value, from.text), indices);
  }
  return target;
}

/** A copy must not share objects with its source: a later step changing one would change both. */
function copyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** Undoes a copy from `from` to `to`: deletes the copied values, and the empty array an empty source became. */
export function removeCopy(root: unknown, from: ValuePath, to: ValuePath): void {
  removeValue(root, to);
  if (to.wildcards === 0) return;
  const prefix = prefixBeforeFirstWildcard(to);
  if (samePrefix(prefix, prefixBeforeFirstWildcard(from))) return;
  if (collect(root, prefix).every((entry) => Array.isArray(entry.value) && entry.value.length === 0)) removeValue(root, prefix);
}

function carryEmptyArray(source: unknown, target: unknown, from: ValuePath, to: ValuePath, keepSource: boolean): unknown {
  if (from.wildcards === 0 || to.wildcards === 0) return target;
  const sourcePrefix = prefixBeforeFirstWildcard(from);
  const sourceArrays = collect(source, sourcePrefix);
  if (sourceArrays.length === 0 || !sourceArrays.every((entry) => Array.isArray(entry.value))) return target;
  const targetPrefix = prefixBeforeFirstWildcard(to);
  const targetMissing = collect(target, targetPrefix).length === 0;
  // A move takes an empty source array with it, so undoing the move gives back exactly its input.
  const sameArray = source === target && samePrefix(sourcePrefix, targetPrefix);
  if (!keepSource && !sameArray && sourceArrays.every((entry) => (entry.value as unknown[]).length === 0)) removeValue(source, sourcePrefix);
  return targetMissing ? setValue(target, targetPrefix, []) : target;
}

function prefixBeforeFirstWildcard(path: ValuePath): ValuePath {
  const end = path.segments.findIndex((segment) => segment.kind === 'each');
  const segments: Segment[] = path.segments.slice(0, end);
  return { ...path, segments, wildcards: 0 };
}

function samePrefix(a: ValuePath, b: ValuePath): boolean {
  return JSON.stringify(a.segments) === JSON.stringify(b.segments);
}
