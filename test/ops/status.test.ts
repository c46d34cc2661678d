import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, responseStep, roundTrip } from './compile-op.js';

describe('status as a code map', () => {
  const created = responseStep('status', { 200: 201, 202: 201 });
  const swap = responseStep('status', { 200: 204, 204: 200 });

  it('maps listed codes and passes the others unchanged', () => {
    expect(forward(created, { status: 200 })).toStrictEqual({ status: 201 });
    expect(forward(created, { status: 404 })).toStrictEqual({ status: 404 });
  });

  it('undoes a one-to-one map and round-trips', () => {
    expect(inverse(swap, { status: 204 })).toStrictEqual({ status: 200 });
    expect(roundTrip(swap, { status: 200 })).toStrictEqual({ status: 200 });
    expect(swap.lossy).toBe(false);
  });

  it('has no inverse when two codes map to the same one', () => {
    expect(created.undo).toBeUndefined();
  });

  it('describes the change in the direction of the list', () => {
    expect(responseStep('status', { 200: 204 }).description).toBe('Status codes change: 200 in v2 is 204 in v1.');
  });

  it('leaves messages without a numeric status alone', () => {
    expectUntouched(swap, { body: {} });
    expectUntouched(swap, { status: null });
    expectUntouched(swap, { status: '200' });
  });
});

describe('status as a fixed code', () => {
  const fixed = responseStep('status', 202);

  it('sets the status whatever it was', () => {
    expect(forward(fixed, { status: 200, body: {} })).toStrictEqual({ status: 202, body: {} });
    expect(forward(fixed, { body: {} })).toStrictEqual({ body: {}, status: 202 });
  });

  it('has no inverse and is lossy', () => {
    expect(fixed.undo).toBeUndefined();
    expect(fixed.lossy).toBe(true);
  });
});

describe('status arguments', () => {
  it('rejects codes outside 100-599 and keys that are not codes', () => {
    expect(argumentError(() => responseStep('status', { 200: 700 }))).toBe('"200: 700" is not a pair of status codes');
    expect(argumentError(() => responseStep('status', { ok: 201 }))).toBe('"ok: 201" is not a pair of status codes');
    expect(argumentError(() => responseStep('status', 99))).toMatch(/expects a status code \(201\) or a map of codes/);
    expect(argumentError(() => responseStep('status', '201'))).toMatch(/expects a status code/);
    expect(argumentError(() => responseStep('status', {}))).toMatch(/expects a status code/);
  });
});
