import type { CompiledMatcher } from './matcher.js';

/** One place where two documents disagree; `accepted` names the matcher that let it pass. */
export interface RawDifference {
  segments: string[];
  v1: unknown;
  actual: unknown;
  accepted?: string;
}

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
    else for (let i = 0; i < Math.max(v1.length, actual.length); i++) compare(v1[i], actual[i], [...at, String(i)], matcherAt, out);
    return;
  }
  out.push({ segments: at, v1, actual });
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
