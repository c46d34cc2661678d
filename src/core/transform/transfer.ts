import type { Converter } from './convert.js';
import { collect, removeValue, setValue, type Segment, type ValuePath } from './path.js';

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
  const found = collect(source, from);
  if (found.length === 0) return carryEmptyArray(source, target, from, to);
  if (!options.keepSource) removeValue(source, from);
  for (const { value, indices } of found) {
    target = setValue(target, to, convert(value, from.text), indices);
  }
  return target;
}

function carryEmptyArray(source: unknown, target: unknown, from: ValuePath, to: ValuePath): unknown {
  if (from.wildcards === 0 || to.wildcards === 0) return target;
  const sourceArrays = collect(source, prefixBeforeFirstWildcard(from));
  if (sourceArrays.length === 0 || !sourceArrays.every((entry) => Array.isArray(entry.value))) return target;
  const targetPrefix = prefixBeforeFirstWildcard(to);
  if (collect(target, targetPrefix).length > 0) return target;
  return setValue(target, targetPrefix, []);
}

function prefixBeforeFirstWildcard(path: ValuePath): ValuePath {
  const end = path.segments.findIndex((segment) => segment.kind === 'each');
  const segments: Segment[] = path.segments.slice(0, end);
  return { ...path, segments, wildcards: 0 };
}
