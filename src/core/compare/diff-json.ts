import type { CompiledMatcher } from './matcher.js';

/** One place where two documents disagree; `accepted` names the matcher that let it pass. */
export interface RawDifference {
  segments: string[];
  v1: unknown;
  actual: unknown;
  accepted?: string;
  /** The same elements (by value, or by `id`) in another order: one finding for the whole array. */
  order?: true;
}

/** Arrays longer than this are compared index by index: aligning them would cost too much. */
const ALIGN_LIMIT = 500;

/** The matcher for a location, if any (first binding that names it exactly). */
export type MatcherLookup = (segments: readonly string[]) => CompiledMatcher | undefined;

const noMatchers: MatcherLookup = () => undefined;

/**
 * Structural comparison of two JSON-like documents. Objects are compared key by key (key order
 * never matters), arrays index by index unless a matcher says `unordered`, everything else by
 * value (`1` and `"1"` differ: a client parsing a number breaks on a string). Every place that
 * differs is reported once, at the deepest level where the two still have the same shape.
 */
export function diffJson(v1: unknown, actual: unknown, matcherAt: MatcherLookup = noMatchers, at: string[] = []): RawDifference[] {
  const out: RawDifference[] = [];
  compare(v1, actual, at, matcherAt, out);
  return out;
}

function compare(v1: unknown, actual: unknown, at: string[], matcherAt: MatcherLookup, out: RawDifference[]): void {
  const matcher = matcherAt(at);
  if (matcher?.accepts) {
    if (deepEqual(v1, actual)) return;
    out.push(matcher.accepts(v1, actual) ? { segments: at, v1, actual, accepted: matcher.describe } : { segments: at, v1, actual });
    return;
  }
  if (deepEqual(v1, actual)) return;
  if (isPlainObject(v1) && isPlainObject(actual)) {
    const keys = new Set([...Object.keys(v1), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) compare(v1[key], actual[key], [...at, key], matcherAt, out);
    return;
  }
  if (Array.isArray(v1) && Array.isArray(actual)) {
    if (matcher?.unordered) compareUnordered(v1, actual, at, matcherAt, out, matcher.describe);
    else compareSequences(v1, actual, at, matcherAt, out);
    return;
  }
  out.push({ segments: at, v1, actual });
}

/**
 * Arrays as sequences, so one moved or missing element is one finding, not one per index after it:
 * - items with a unique scalar `id` on both sides are paired by id (compared under v1's index);
 *   ids only one side has are missing or extra elements, and common ids in another order are one
 *   "order differs" finding (`order`, with both id lists);
 * - otherwise the same elements in another order are one "order differs" finding;
 * - otherwise the longest common subsequence of equal elements anchors the comparison, and the
 *   elements between anchors are compared pairwise, the surplus reported as missing or extra.
 */
function compareSequences(v1: unknown[], actual: unknown[], at: string[], matcherAt: MatcherLookup, out: RawDifference[]): void {
  const v1Ids = idsOf(v1);
  const actualIds = idsOf(actual);
  if (v1Ids && actualIds) {
    const position = new Map(actualIds.map((id, j) => [id, j]));
    const common: string[] = [];
    v1.forEach((item, i) => {
      const j = position.get(v1Ids[i]!);
      if (j === undefined) out.push({ segments: [...at, String(i)], v1: item, actual: undefined });
      else {
        common.push(v1Ids[i]!);
        compare(item, actual[j], [...at, String(i)], matcherAt, out);
      }
    });
    const known = new Set(v1Ids);
    actual.forEach((item, j) => {
      if (!known.has(actualIds[j]!)) out.push({ segments: [...at, String(j)], v1: undefined, actual: item });
    });
    const commonActual = actualIds.filter((id) => known.has(id));
    if (!deepEqual(common, commonActual)) out.push({ segments: at, v1: common, actual: commonActual, order: true });
    return;
  }
  if (v1.length === actual.length && sameElements(v1, actual)) {
    out.push({ segments: at, v1, actual, order: true });
    return;
  }
  if (v1.length > ALIGN_LIMIT || actual.length > ALIGN_LIMIT) {
    for (let i = 0; i < Math.max(v1.length, actual.length); i++) compare(v1[i], actual[i], [...at, String(i)], matcherAt, out);
    return;
  }
  // Anchors: the longest common subsequence of equal elements (classic dynamic programming).
  const rows = v1.length;
  const columns = actual.length;
  const lengths = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) lengths[i]![j] = deepEqual(v1[i], actual[j]) ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  }
  let i = 0;
  let j = 0;
  const gapV1: number[] = [];
  const gapActual: number[] = [];
  const flush = () => {
    const paired = Math.min(gapV1.length, gapActual.length);
    for (let k = 0; k < paired; k++) compare(v1[gapV1[k]!], actual[gapActual[k]!], [...at, String(gapV1[k])], matcherAt, out);
    for (const index of gapV1.slice(paired)) out.push({ segments: [...at, String(index)], v1: v1[index], actual: undefined });
    for (const index of gapActual.slice(paired)) out.push({ segments: [...at, String(index)], v1: undefined, actual: actual[index] });
    gapV1.length = 0;
    gapActual.length = 0;
  };
  while (i < rows || j < columns) {
    if (i < rows && j < columns && deepEqual(v1[i], actual[j]) && lengths[i]![j] === lengths[i + 1]![j + 1]! + 1) {
      flush();
      i++;
      j++;
    } else if (j >= columns || (i < rows && lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) gapV1.push(i++);
    else gapActual.push(j++);
  }
  flush();
}

/**
 * Each item's `id` as text when every item is an object with a unique string or number id, else
 * undefined. As text, so an id that changed type (7 against "7") still pairs its items and shows
 * as the one difference it is.
 */
function idsOf(items: unknown[]): string[] | undefined {
  if (items.length === 0) return undefined;
  const ids: string[] = [];
  for (const item of items) {
    if (!isPlainObject(item)) return undefined;
    const id = item.id;
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    ids.push(String(id));
  }
  return new Set(ids).size === ids.length ? ids : undefined;
}

function sameElements(a: unknown[], b: unknown[]): boolean {
  const unused = b.map((_, j) => j);
  for (const item of a) {
    const found = unused.findIndex((j) => deepEqual(item, b[j]));
    if (found < 0) return false;
    unused.splice(found, 1);
  }
  return true;
}

/**
 * Pairs equal elements first, then each remaining v1 element with the unused actual element it
 * differs from least, and compares the pairs; elements without a partner are differences of
 * their own. Greedy, which is exact when elements are equal or clearly distinct, and fine for
 * the short arrays responses hold.
 */
function compareUnordered(v1: unknown[], actual: unknown[], at: string[], matcherAt: MatcherLookup, out: RawDifference[], describe: string): void {
  const unused = new Set(actual.map((_, j) => j));
  const partner = new Map<number, number>();
  v1.forEach((item, i) => {
    const equal = [...unused].find((j) => deepEqual(item, actual[j]));
    if (equal === undefined) return;
    partner.set(i, equal);
    unused.delete(equal);
  });
  v1.forEach((item, i) => {
    if (partner.has(i)) return;
    let best: number | undefined;
    let bestCost = Infinity;
    for (const j of unused) {
      const cost = diffJson(item, actual[j], matcherAt, [...at, String(i)]).filter((d) => !d.accepted).length;
      if (cost < bestCost) [best, bestCost] = [j, cost];
    }
    if (best === undefined) return;
    partner.set(i, best);
    unused.delete(best);
  });
  const before = out.length;
  v1.forEach((item, i) => {
    const j = partner.get(i);
    compare(item, j === undefined ? undefined : actual[j], [...at, String(i)], matcherAt, out);
  });
  [...unused].forEach((j, extra) => out.push({ segments: [...at, String(v1.length + extra)], v1: undefined, actual: actual[j] }));
  // Same elements in another order: not a difference, but worth showing as accepted.
  if (out.length === before) out.push({ segments: at, v1, actual, accepted: describe });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => deepEqual(left[key], right[key]));
}
