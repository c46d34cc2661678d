import { describe, expect, it } from 'vitest';
import { argumentError, forward, responseStep } from './compile-op.js';

describe('replace', () => {
  it('rewrites v2 wording in an error message for v1 clients', () => {
    const step = responseStep('replace', { path: 'body.detail', match: '^query ', with: 'q ' });
    expect(forward(step, { body: { detail: 'query is required', status: 422 } })).toStrictEqual({ body: { detail: 'q is required', status: 422 } });
  });

  it('replaces every match and supports groups', () => {
    const step = responseStep('replace', { path: 'headers.link', match: '/api/v2/(\\w+)', with: '/api/v1/$1' });
    expect(forward(step, { headers: { link: '</api/v2/items>; rel="next", </api/v2/users>; rel="up"' } })).toStrictEqual({
      headers: { link: '</api/v1/items>; rel="next", </api/v1/users>; rel="up"' },
    });
  });

  it('visits array elements and leaves non-strings, nulls and missing fields alone', () => {
    const step = responseStep('replace', { path: 'body.errors[].field', match: 'knowledge_type', with: 'type' });
    expect(forward(step, { body: { errors: [{ field: 'knowledge_type' }, { field: 7 }, { field: null }, {}] } })).toStrictEqual({
      body: { errors: [{ field: 'type' }, { field: 7 }, { field: null }, {}] },
    });
    expect(forward(step, { body: {} })).toStrictEqual({ body: {} });
  });

  it('is not invertible: the original text is lost', () => {
    const step = responseStep('replace', { path: 'body.detail', match: 'a', with: 'b' });
    expect(step.undo).toBeUndefined();
    expect(step.lossy).toBe(true);
  });

  it('rejects an invalid regular expression and a missing replacement', () => {
    expect(argumentError(() => responseStep('replace', { path: 'body.detail', match: '(', with: 'x' }))).toMatch(/is not a regular expression/);
    expect(argumentError(() => responseStep('replace', { path: 'body.detail', match: 'x' }))).toMatch(/needs "with"/);
  });
});
