import { describe, expect, it } from 'vitest';
import { argumentError, forward, requestStep, responseStep } from './compile-op.js';

describe('default', () => {
  const tags = responseStep('default', { path: 'body.tags', value: [] });

  it('writes the value where none is present', () => {
    expect(forward(tags, { body: { id: 1 } })).toStrictEqual({ body: { id: 1, tags: [] } });
  });

  it('keeps a value that is present, whatever its type', () => {
    expect(forward(tags, { body: { tags: ['a'] } })).toStrictEqual({ body: { tags: ['a'] } });
    expect(forward(tags, { body: { tags: 'a' } })).toStrictEqual({ body: { tags: 'a' } });
  });

  it('treats null as present: an explicit null is kept', () => {
    expect(forward(tags, { body: { tags: null } })).toStrictEqual({ body: { tags: null } });
  });

  it('gives a request with no body an empty JSON body', () => {
    const body = requestStep('default', { path: 'body', value: {} });
    expect(forward(body, { method: 'POST' })).toStrictEqual({ method: 'POST', body: {} });
    expect(forward(body, { body: { q: 'x' } })).toStrictEqual({ body: { q: 'x' } });
  });

  it('has no inverse', () => {
    expect(tags.undo).toBeUndefined();
  });

  it('fills only the array elements that lack the field, across nested arrays', () => {
    const step = responseStep('default', { path: 'body.groups[].items[].tags', value: [] });
    const v2 = { body: { groups: [{ items: [{ tags: ['x'] }, {}] }, { items: [] }, { items: [{}] }] } };
    expect(forward(step, v2)).toStrictEqual({ body: { groups: [{ items: [{ tags: ['x'] }, { tags: [] }] }, { items: [] }, { items: [{ tags: [] }] }] } });
  });

  it('skips null and scalar elements rather than replacing them', () => {
    const step = responseStep('default', { path: 'body.items[].tags', value: [] });
    expect(forward(step, { body: { items: [null, 7, {}] } })).toStrictEqual({ body: { items: [null, 7, { tags: [] }] } });
  });

  it('fills from a template, keeping the referenced value\'s type', () => {
    const step = requestStep('default', { path: 'body.limit', value: '${query.limit}' });
    expect(forward(step, { query: { limit: 20 }, body: {} })).toStrictEqual({ query: { limit: 20 }, body: { limit: 20 } });
  });

  it('needs a path and a value', () => {
    expect(argumentError(() => responseStep('default', { path: 'body.tags' }))).toMatch(/needs "value"/);
    expect(argumentError(() => responseStep('default', { path: '', value: 1 }))).toBe('needs "path" (a string)');
  });
});
