import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, resourceRule, responseStep, roundTrip, transformError } from './compile-op.js';

const priority = (value: unknown) => ({ priority: value });

describe('scale as a resource rule with integer ranges', () => {
  const rule = resourceRule('scale', { field: 'priority', v1: [1, 5], v2: [1, 10] });

  it('maps v1 values onto the v2 range, rounding half away from zero', () => {
    expect([1, 2, 3, 4, 5].map((value) => (forward(rule, priority(value)) as { priority: number }).priority)).toEqual([1, 3, 6, 8, 10]);
  });

  it('maps v2 values back onto the v1 range', () => {
    expect([1, 3, 6, 8, 10].map((value) => (inverse(rule, priority(value)) as { priority: number }).priority)).toEqual([1, 2, 3, 4, 5]);
  });

  it('round-trips every v1 integer exactly (v1 → v2 → v1)', () => {
    for (let value = 1; value <= 5; value++) expect(roundTrip(rule, priority(value))).toStrictEqual(priority(value));
  });

  it('is lossy in the v2 → v1 direction only, and says so', () => {
    expect(rule.lossy).toBe(true);
    expect(rule.description).toContain('rounded for v1 clients');
    // v2 has 10 levels, v1 only 5: a v2-only value comes back as its nearest neighbour
    const v1 = inverse(rule, priority(2));
    expect(v1).toStrictEqual(priority(1));
    expect(forward(rule, v1)).toStrictEqual(priority(1));
  });

  it('is not lossy when every v2 integer has a v1 integer, e.g. a shifted range', () => {
    const shifted = resourceRule('scale', { field: 'priority', v1: [1, 5], v2: [0, 4] });
    expect(shifted.lossy).toBe(false);
    expect(forward(shifted, priority(3))).toStrictEqual(priority(2));
    expect(roundTrip(shifted, priority(3))).toStrictEqual(priority(3));
  });

  it('is lossy when v2 has integers between the images of v1 integers', () => {
    expect(resourceRule('scale', { field: 'priority', v1: [1, 5], v2: [2, 10] }).lossy).toBe(true);
  });

  it('rounds halves away from zero below zero as well', () => {
    const negative = resourceRule('scale', { field: 'priority', v1: [-2, 0], v2: [-5, 0] });
    expect(forward(negative, priority(-1))).toStrictEqual(priority(-3));
    expect(roundTrip(negative, priority(-1))).toStrictEqual(priority(-1));
  });

  it('rounds a small negative result to 0, never to -0', () => {
    const shifted = resourceRule('scale', { field: 'priority', v1: [-1, 4], v2: [0, 11] });
    expect(Object.is((inverse(shifted, priority(2)) as { priority: number }).priority, 0)).toBe(true);
  });

  it('rescales every array element, nested arrays included', () => {
    const each = resourceRule('scale', { field: 'lists[].tasks[].priority', v1: [1, 5], v2: [1, 10] });
    const input = { lists: [{ tasks: [{ priority: 2 }, { priority: 5 }] }, { tasks: [] }] };
    expect(forward(each, input)).toStrictEqual({ lists: [{ tasks: [{ priority: 3 }, { priority: 10 }] }, { tasks: [] }] });
    expect(roundTrip(each, input)).toStrictEqual(input);
  });

  it('does nothing when the field or the array is missing or empty', () => {
    expectUntouched(rule, { id: 1 });
    expectUntouched(resourceRule('scale', { field: 'tasks[].priority', v1: [1, 5], v2: [1, 10] }), { tasks: [] });
  });

  it('passes null through both ways', () => {
    expectUntouched(rule, priority(null));
  });

  it('throws a TransformError naming the field for a value that is not a number', () => {
    const error = transformError(() => forward(rule, priority('high')));
    expect(error.path).toBe('priority');
    expect(error.message).toBe('expected a number at priority, got string "high"');
    expect(() => inverse(rule, priority(true))).toThrow('expected a number at priority, got boolean true');
    expect(() => forward(rule, priority([1]))).toThrow('got an array');
  });
});

describe('scale without rounding', () => {
  it('is exact and not lossy for ranges that are not all integers', () => {
    const ratio = resourceRule('scale', { field: 'share', v1: [0, 2.5], v2: [0, 5] });
    expect(ratio.lossy).toBe(false);
    expect(forward(ratio, { share: 0.3 })).toStrictEqual({ share: 0.6 });
    expect(inverse(ratio, { share: 3 })).toStrictEqual({ share: 1.5 });
  });

  it('keeps fractions when round is switched off on integer ranges', () => {
    const smooth = resourceRule('scale', { field: 'priority', v1: [1, 5], v2: [1, 10], round: false });
    expect(forward(smooth, priority(2))).toStrictEqual(priority(3.25));
    expect(roundTrip(smooth, priority(2))).toStrictEqual(priority(2));
  });
});

describe('scale as a response step', () => {
  it('maps v2 values to v1 values when it runs on a response', () => {
    const step = responseStep('scale', { field: 'body.priority', v1: [1, 5], v2: [1, 10] });
    expect(forward(step, { body: { priority: 10 } })).toStrictEqual({ body: { priority: 5 } });
    expect(inverse(step, { body: { priority: 5 } })).toStrictEqual({ body: { priority: 10 } });
  });
});

describe('scale arguments', () => {
  it('rejects integer ranges that cannot bring every v1 integer back', () => {
    expect(argumentError(() => resourceRule('scale', { field: 'priority', v1: [1, 10], v2: [1, 5] }))).toBe(
      'scaling priority from [1,10] to [1,5] and back does not return every v1 integer; widen the v2 range or set round: false',
    );
  });

  it('rejects ranges that are not two different numbers', () => {
    const message = 'needs "v1" and "v2" ranges of two different numbers, e.g. v1: [1, 5], v2: [1, 10]';
    expect(argumentError(() => resourceRule('scale', { field: 'p', v1: [3, 3], v2: [1, 10] }))).toBe(message);
    expect(argumentError(() => resourceRule('scale', { field: 'p', v1: [1, 5] }))).toBe(message);
    expect(argumentError(() => resourceRule('scale', { field: 'p', v1: [1, 5, 9], v2: [1, 10] }))).toBe(message);
    expect(argumentError(() => resourceRule('scale', { field: 'p', v1: ['1', '5'], v2: [1, 10] }))).toBe(message);
  });
});
