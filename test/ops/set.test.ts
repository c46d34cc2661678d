import { describe, expect, it } from 'vitest';
import { argumentError, forward, requestStep, responseStep } from './compile-op.js';

describe('set', () => {
  it('writes a literal value, replacing what was there', () => {
    const step = responseStep('set', { path: 'headers.content-type', value: 'application/json' });
    expect(forward(step, { headers: { 'content-type': 'application/problem+json' } })).toStrictEqual({ headers: { 'content-type': 'application/json' } });
  });

  it('creates the objects on the way to its path', () => {
    const step = responseStep('set', { path: 'body.error.code', value: 'oops' });
    expect(forward(step, { status: 500 })).toStrictEqual({ status: 500, body: { error: { code: 'oops' } } });
  });

  it('builds a v1 error body from the v2 problem with templates and filters', () => {
    const step = responseStep('set', {
      path: 'body',
      value: { error: { code: '${body.type|last-segment|snake}', message: '${body.detail}', status: '${status}' } },
    });
    const v2 = { status: 404, body: { type: 'https://api.test/problems/not-found', detail: 'No such item' } };
    expect(forward(step, v2)).toStrictEqual({ status: 404, body: { error: { code: 'not_found', message: 'No such item', status: 404 } } });
  });

  it('has no inverse: it is a one-directional step', () => {
    expect(responseStep('set', { path: 'body.x', value: 1 }).undo).toBeUndefined();
  });

  it('writes into every object element of an array, nested arrays included', () => {
    const step = responseStep('set', { path: 'body.lists[].items[].seen', value: true });
    const v2 = { body: { lists: [{ items: [{ id: 1 }, { id: 2 }] }, { items: [] }] } };
    expect(forward(step, v2)).toStrictEqual({ body: { lists: [{ items: [{ id: 1, seen: true }, { id: 2, seen: true }] }, { items: [] }] } });
  });

  it('gives every element its own copy of an object value', () => {
    const step = responseStep('set', { path: 'body.items[].tags', value: [] });
    const result = forward(step, { body: { items: [{}, {}] } }) as { body: { items: Array<{ tags: string[] }> } };
    result.body.items[0]!.tags.push('changed');
    expect(result.body.items[1]!.tags).toEqual([]);
  });

  it('leaves an empty array empty', () => {
    const step = responseStep('set', { path: 'body.items[].seen', value: true });
    expect(forward(step, { body: { items: [] } })).toStrictEqual({ body: { items: [] } });
  });

  it('never turns null or scalar array elements into objects', () => {
    const step = responseStep('set', { path: 'body.items[].seen', value: true });
    expect(forward(step, { body: { items: [null, 3, 'x', { id: 1 }] } })).toStrictEqual({ body: { items: [null, 3, 'x', { id: 1, seen: true }] } });
  });

  it('writes nothing under [] when the array is missing', () => {
    const step = responseStep('set', { path: 'body.items[].seen', value: true });
    expect(forward(step, { body: {} })).toStrictEqual({ body: {} });
  });

  it('keeps the type of a whole-value template and renders missing values in text as empty', () => {
    const count = responseStep('set', { path: 'body.count', value: '${body.meta.total}' });
    expect(forward(count, { body: { meta: { total: 2 } } })).toStrictEqual({ body: { meta: { total: 2 }, count: 2 } });
    const label = requestStep('set', { path: 'body.label', value: 'page ${query.page}' });
    expect(forward(label, { query: {}, body: {} })).toStrictEqual({ query: {}, body: { label: 'page ' } });
  });
});

describe('set arguments', () => {
  it('needs a path and a value', () => {
    expect(argumentError(() => responseStep('set', { value: 1 }))).toBe('needs "path" (a string)');
    expect(argumentError(() => responseStep('set', { path: 'body.x' }))).toBe('needs "value" (any JSON value; strings may contain ${path} placeholders)');
    expect(argumentError(() => responseStep('set', 'body.x'))).toBe('expects an object of arguments');
  });

  it('rejects unknown template filters and empty placeholders at compile time', () => {
    expect(argumentError(() => responseStep('set', { path: 'body.x', value: '${body.y|shout}' }))).toMatch(/unknown filter "shout"/);
    expect(argumentError(() => responseStep('set', { path: 'body.x', value: 'a ${} b' }))).toMatch(/empty placeholder/);
  });
});
