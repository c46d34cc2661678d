import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, requestStep, responseStep, roundTrip, transformError } from './compile-op.js';

describe('copy', () => {
  const echo = requestStep('copy', { from: 'headers.x-request-id', to: 'body.request_id' });
  const request = { headers: { 'x-request-id': 'r-1' }, body: { q: 1 } };

  it('writes a copy at the target and keeps the source', () => {
    expect(forward(echo, request)).toStrictEqual({ headers: { 'x-request-id': 'r-1' }, body: { q: 1, request_id: 'r-1' } });
  });

  it('undo removes the copy only', () => {
    expect(inverse(echo, { headers: { 'x-request-id': 'r-1' }, body: { q: 1, request_id: 'r-1' } })).toStrictEqual(request);
  });

  it('round-trips when the target did not exist before', () => {
    expect(roundTrip(echo, request)).toStrictEqual(request);
  });

  it('gives the copy its own value: a later step changing the copy leaves the source alone', () => {
    const duplicate = responseStep('copy', { from: 'body.owner', to: 'body.author' });
    const renameInCopy = responseStep('rename', { from: 'body.author.id', to: 'body.author.uid' });
    const copied = forward(duplicate, { body: { owner: { id: 1 } } });
    expect(renameInCopy.apply(copied)).toStrictEqual({ body: { owner: { id: 1 }, author: { uid: 1 } } });
  });

  it('copies from every array element into a list, keeping the source elements', () => {
    const ids = responseStep('copy', { from: 'body.items[].id', to: 'body.ids[]' });
    const v2 = { body: { items: [{ id: 1 }, { id: 2 }] } };
    expect(forward(ids, v2)).toStrictEqual({ body: { items: [{ id: 1 }, { id: 2 }], ids: [1, 2] } });
    expect(roundTrip(ids, v2)).toStrictEqual(v2);
  });

  it('copies an empty array as an empty array, and undo removes it again', () => {
    const ids = responseStep('copy', { from: 'body.items[].id', to: 'body.ids[]' });
    expect(forward(ids, { body: { items: [] } })).toStrictEqual({ body: { items: [], ids: [] } });
    expect(roundTrip(ids, { body: { items: [] } })).toStrictEqual({ body: { items: [] } });
  });

  it('copies within the elements of one array, and undo keeps that array even when it is empty', () => {
    const within = responseStep('copy', { from: 'body.items[].id', to: 'body.items[].key' });
    expect(forward(within, { body: { items: [{ id: 1 }] } })).toStrictEqual({ body: { items: [{ id: 1, key: 1 }] } });
    expect(roundTrip(within, { body: { items: [{ id: 1 }] } })).toStrictEqual({ body: { items: [{ id: 1 }] } });
    expect(roundTrip(within, { body: { items: [] } })).toStrictEqual({ body: { items: [] } });
  });

  it('copies through nested arrays', () => {
    const nested = responseStep('copy', { from: 'body.orders[].lines[].sku', to: 'body.orders[].skus[]' });
    const v2 = { body: { orders: [{ lines: [{ sku: 'a' }, { sku: 'b' }] }, { lines: [{ sku: 'c' }] }] } };
    expect(forward(nested, v2)).toStrictEqual({
      body: { orders: [{ lines: [{ sku: 'a' }, { sku: 'b' }], skus: ['a', 'b'] }, { lines: [{ sku: 'c' }], skus: ['c'] }] },
    });
    expect(roundTrip(nested, v2)).toStrictEqual(v2);
  });

  it('does nothing, and creates no target, when the source is missing', () => {
    expectUntouched(echo, { headers: {}, body: { q: 1 } });
  });

  it('copies null as a value', () => {
    expect(forward(echo, { headers: { 'x-request-id': null }, body: {} })).toStrictEqual({ headers: { 'x-request-id': null }, body: { request_id: null } });
  });

  it('converts the copy with "as" and rejects values of the wrong type with the source path', () => {
    const numeric = requestStep('copy', { from: 'query.page', to: 'body.page', as: 'integer' });
    expect(forward(numeric, { query: { page: '3' }, body: {} })).toStrictEqual({ query: { page: '3' }, body: { page: 3 } });
    const error = transformError(() => forward(numeric, { query: { page: 'three' }, body: {} }));
    expect(error.path).toBe('query.page');
  });

  it('rejects a different number of [] on the two sides, and unknown conversions', () => {
    expect(argumentError(() => responseStep('copy', { from: 'body.items[].id', to: 'body.id' }))).toBe('"body.items[].id" and "body.id" must have the same number of []');
    expect(argumentError(() => requestStep('copy', { from: 'query.a', to: 'body.a', as: 'uuid' }))).toMatch(/"as" must be one of/);
    expect(argumentError(() => requestStep('copy', { from: 'query.a' }))).toMatch(/needs "from" and "to"/);
  });
});
