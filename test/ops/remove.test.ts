import { describe, expect, it } from 'vitest';
import { PathSyntaxError } from '../../src/core/transform/path.js';
import { argumentError, forward, requestStep, responseStep } from './compile-op.js';

describe('remove', () => {
  it('deletes a body field and keeps the rest', () => {
    const step = responseStep('remove', 'body.internal');
    expect(forward(step, { body: { id: 1, internal: 'x' } })).toStrictEqual({ body: { id: 1 } });
  });

  it('deletes several paths given as a list', () => {
    const step = responseStep('remove', ['body.hits', 'headers.x-internal']);
    expect(forward(step, { headers: { 'x-internal': '1', etag: 'e' }, body: { hits: [], count: 0 } })).toStrictEqual({
      headers: { etag: 'e' },
      body: { count: 0 },
    });
  });

  it('deletes the whole body', () => {
    expect(forward(responseStep('remove', 'body'), { status: 204, body: { ok: true } })).toStrictEqual({ status: 204 });
  });

  it('deletes the objects it empties below a section, but never the section itself', () => {
    const step = responseStep('remove', 'body.meta.debug');
    expect(forward(step, { body: { meta: { debug: 1 } } })).toStrictEqual({ body: {} });
    expect(forward(requestStep('remove', 'query.debug'), { query: { debug: '1' } })).toStrictEqual({ query: {} });
  });

  it('deletes the field from every array element, and drops the array once nothing else is left', () => {
    const step = responseStep('remove', 'body.items[].internal');
    expect(forward(step, { body: { items: [{ id: 1, internal: 'a' }, { id: 2, internal: 'b' }] } })).toStrictEqual({ body: { items: [{ id: 1 }, { id: 2 }] } });
    expect(forward(step, { body: { items: [{ internal: 'a' }], count: 1 } })).toStrictEqual({ body: { count: 1 } });
  });

  it('leaves an array alone when some elements never had the field', () => {
    const step = responseStep('remove', 'body.items[].internal');
    expect(forward(step, { body: { items: [{}, { internal: 'a' }] } })).toStrictEqual({ body: { items: [{}, {}] } });
  });

  it('keeps empty arrays it did not empty', () => {
    const step = responseStep('remove', 'body.items[].internal');
    expect(forward(step, { body: { items: [] } })).toStrictEqual({ body: { items: [] } });
  });

  it('does nothing for missing paths, nulls and values of the wrong shape', () => {
    const step = responseStep('remove', 'body.meta.debug');
    for (const body of [{}, null, 'text', { meta: null }, { meta: [1] }]) expect(forward(step, { body })).toStrictEqual({ body });
  });

  it('removes a null value like any other', () => {
    expect(forward(responseStep('remove', 'body.x'), { body: { x: null, y: 1 } })).toStrictEqual({ body: { y: 1 } });
  });

  it('has no inverse and says it loses data', () => {
    const step = responseStep('remove', 'body.x');
    expect(step.undo).toBeUndefined();
    expect(step.lossy).toBe(true);
    expect(step.description).toBe('`body.x` is not part of the v1 message.');
  });

  it('needs a path or a list of paths', () => {
    expect(argumentError(() => responseStep('remove', []))).toBe('expects a path or a list of paths');
    expect(argumentError(() => responseStep('remove', ['body.a', 3]))).toBe('expects a path or a list of paths');
    expect(argumentError(() => responseStep('remove', { path: 'body.a' }))).toBe('expects a path or a list of paths');
    expect(() => responseStep('remove', 'bdy.a')).toThrow(PathSyntaxError);
  });
});
