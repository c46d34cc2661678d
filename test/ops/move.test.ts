import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, requestStep, resourceRule, responseStep, roundTrip, transformError } from './compile-op.js';

describe('move as a resource rule: nesting', () => {
  const nest = resourceRule('move', { v1: 'tags', v2: 'metadata.tags' });

  it('nests the v1 field, creating the v2 parent object', () => {
    expect(forward(nest, { id: 1, tags: ['a'] })).toStrictEqual({ id: 1, metadata: { tags: ['a'] } });
  });

  it('nests into an existing parent without disturbing its other fields', () => {
    expect(forward(nest, { tags: ['a'], metadata: { owner: 'x' } })).toStrictEqual({ metadata: { owner: 'x', tags: ['a'] } });
  });

  it('promotes the v2 field back and removes the parent object it leaves empty', () => {
    expect(inverse(nest, { id: 1, metadata: { tags: ['a'] } })).toStrictEqual({ id: 1, tags: ['a'] });
  });

  it('keeps a parent object that still holds other fields after the undo', () => {
    expect(inverse(nest, { metadata: { tags: ['a'], owner: 'x' } })).toStrictEqual({ tags: ['a'], metadata: { owner: 'x' } });
  });

  it('round-trips with and without sibling fields in the parent', () => {
    expect(roundTrip(nest, { id: 1, tags: ['a'] })).toStrictEqual({ id: 1, tags: ['a'] });
    expect(roundTrip(nest, { tags: [], metadata: { owner: 'x' } })).toStrictEqual({ tags: [], metadata: { owner: 'x' } });
    expect(nest.lossy).toBe(false);
  });

  it('does nothing, and creates no parent object, when the field is missing', () => {
    expectUntouched(nest, { id: 1 });
    expectUntouched(nest, { id: 1, metadata: { owner: 'x' } });
  });

  it('moves null as a value', () => {
    expect(forward(nest, { tags: null })).toStrictEqual({ metadata: { tags: null } });
    expect(roundTrip(nest, { tags: null })).toStrictEqual({ tags: null });
  });
});

describe('move as a resource rule: promoting', () => {
  const promote = resourceRule('move', { v1: 'metadata.timeout_seconds', v2: 'timeout_seconds' });

  it('promotes the nested v1 field and drops the emptied parent', () => {
    expect(forward(promote, { metadata: { timeout_seconds: 30 } })).toStrictEqual({ timeout_seconds: 30 });
  });

  it('round-trips, keeping the parent\'s other fields', () => {
    const input = { metadata: { timeout_seconds: 30, retries: 2 } };
    expect(forward(promote, input)).toStrictEqual({ metadata: { retries: 2 }, timeout_seconds: 30 });
    expect(roundTrip(promote, input)).toStrictEqual(input);
  });

  it('does nothing when the parent is not an object', () => {
    expectUntouched(promote, { metadata: 'n/a' });
    expectUntouched(promote, { metadata: null });
    expectUntouched(promote, { metadata: [{ timeout_seconds: 1 }] });
  });
});

describe('move over arrays', () => {
  const pluck = responseStep('move', { from: 'body.hits[].item', to: 'body.results[]' });

  it('lines the n-th [] of the source up with the n-th [] of the target, in order', () => {
    const v2 = { status: 200, body: { hits: [{ item: { id: 1 } }, { item: { id: 2 } }], total: 2 } };
    expect(forward(pluck, v2)).toStrictEqual({ status: 200, body: { results: [{ id: 1 }, { id: 2 }], total: 2 } });
  });

  it('keeps what else the source elements held, and drops only the elements the move emptied', () => {
    const v2 = { body: { hits: [{ item: 'a', score: 0.9 }, { item: 'b', score: 0.5 }] } };
    expect(forward(pluck, v2)).toStrictEqual({ body: { hits: [{ score: 0.9 }, { score: 0.5 }], results: ['a', 'b'] } });
    expect(roundTrip(pluck, v2)).toStrictEqual(v2);
  });

  it('round-trips without leaving an emptied array behind on either side', () => {
    const v2 = { body: { hits: [{ item: 'a' }, { item: 'b' }] } };
    expect(roundTrip(pluck, v2)).toStrictEqual(v2);
  });

  it('turns an empty source array into an empty target array and back', () => {
    expect(forward(pluck, { body: { hits: [], total: 0 } })).toStrictEqual({ body: { results: [], total: 0 } });
    expect(inverse(pluck, { body: { results: [], total: 0 } })).toStrictEqual({ body: { hits: [], total: 0 } });
  });

  it('moves whole arrays element by element between two fields of a resource', () => {
    const rule = resourceRule('move', { v1: 'related[]', v2: 'links.related[]' });
    expect(forward(rule, { related: [3, 4] })).toStrictEqual({ links: { related: [3, 4] } });
    expect(roundTrip(rule, { related: [3, 4] })).toStrictEqual({ related: [3, 4] });
    expect(roundTrip(rule, { related: [] })).toStrictEqual({ related: [] });
  });

  it('moves through nested arrays, keeping each inner list in its own element', () => {
    const rule = resourceRule('move', { v1: 'groups[].members[].id', v2: 'groups[].member_ids[]' });
    const input = { groups: [{ name: 'a', members: [{ id: 1 }, { id: 2 }] }, { name: 'b', members: [] }] };
    expect(forward(rule, input)).toStrictEqual({ groups: [{ name: 'a', member_ids: [1, 2] }, { name: 'b', members: [] }] });
    expect(roundTrip(rule, input)).toStrictEqual(input);
  });

  it('does nothing when the source array is missing or is not an array', () => {
    expectUntouched(pluck, { body: { total: 0 } });
    expectUntouched(pluck, { body: { hits: 'none' } });
    expectUntouched(pluck, { body: null });
  });
});

describe('move as a request step between message sections', () => {
  it('moves a query parameter into the JSON body and back', () => {
    const step = requestStep('move', { from: 'query.q', to: 'body.query' });
    const request = { query: { q: 'cats', page: '1' }, body: {} };
    expect(forward(step, request)).toStrictEqual({ query: { page: '1' }, body: { query: 'cats' } });
    expect(roundTrip(step, request)).toStrictEqual(request);
  });

  it('keeps the message sections themselves even when a move empties them', () => {
    const step = requestStep('move', { from: 'query.q', to: 'body.query' });
    expect(forward(step, { query: { q: 'cats' } })).toStrictEqual({ query: {}, body: { query: 'cats' } });
  });

  it('converts with "as" on the way and converts back on undo', () => {
    const step = requestStep('move', { from: 'query.limit', to: 'body.limit', as: 'integer' });
    expect(forward(step, { query: { limit: '20' }, body: {} })).toStrictEqual({ query: {}, body: { limit: 20 } });
    expect(inverse(step, { query: {}, body: { limit: 20 } })).toStrictEqual({ query: { limit: '20' }, body: {} });
  });

  it('splits a comma-separated query value into a list and joins it back', () => {
    const step = requestStep('move', { from: 'query.tags', to: 'body.tags', as: 'csv' });
    expect(forward(step, { query: { tags: 'a, b,c' }, body: {} })).toStrictEqual({ query: {}, body: { tags: ['a', 'b', 'c'] } });
    expect(roundTrip(step, { query: { tags: 'a,b' }, body: {} })).toStrictEqual({ query: { tags: 'a,b' }, body: {} });
  });

  it('passes null through an "as" conversion', () => {
    const step = requestStep('move', { from: 'body.limit', to: 'body.page.size', as: 'integer' });
    expect(forward(step, { body: { limit: null } })).toStrictEqual({ body: { page: { size: null } } });
  });

  it('rejects a value that cannot take the "as" type, naming the source path', () => {
    const step = requestStep('move', { from: 'query.limit', to: 'body.limit', as: 'integer' });
    const error = transformError(() => forward(step, { query: { limit: 'abc' }, body: {} }));
    expect(error.path).toBe('query.limit');
    expect(error.message).toBe('expected an integer at query.limit, got string "abc"');
  });
});

describe('move arguments', () => {
  it('rejects a different number of [] on the two sides', () => {
    expect(argumentError(() => responseStep('move', { from: 'body.hits[].item', to: 'body.results' }))).toBe(
      '"body.hits[].item" has 1 [] but "body.results" has 0; each [] of the source needs a [] in the target',
    );
  });

  it('rejects missing ends and unknown conversions', () => {
    expect(argumentError(() => requestStep('move', { from: 'query.q' }))).toMatch(/needs "from" and "to" paths/);
    expect(argumentError(() => requestStep('move', { from: 'query.q', to: 'body.q', as: 'date' }))).toMatch(/"as" must be one of/);
  });
});
