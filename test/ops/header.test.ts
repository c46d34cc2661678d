import { describe, expect, it } from 'vitest';
import { emptyMessage } from '../../src/core/model/http-message.js';
import { argumentError, forward, responseStep } from './compile-op.js';

describe('header', () => {
  const total = responseStep('header', { name: 'X-Total-Count', from: 'body.meta.total' });

  it('sets a lower-cased header from a body field, as text', () => {
    const v2 = emptyMessage({ status: 200, body: { meta: { total: 42 } } });
    expect(forward(total, v2)).toStrictEqual({ ...v2, headers: { 'x-total-count': '42' } });
  });

  it('creates the headers section when the message has none', () => {
    expect(forward(total, { body: { meta: { total: 0 } } })).toStrictEqual({ body: { meta: { total: 0 } }, headers: { 'x-total-count': '0' } });
  });

  it('replaces an existing header of the same name', () => {
    expect(forward(total, { headers: { 'x-total-count': '1' }, body: { meta: { total: 2 } } })).toStrictEqual({
      headers: { 'x-total-count': '2' },
      body: { meta: { total: 2 } },
    });
  });

  it('sets a header from a template', () => {
    const location = responseStep('header', { name: 'Location', value: '/api/v1/knowledge/${body.id}' });
    expect(forward(location, { headers: {}, body: { id: '7' } })).toStrictEqual({ headers: { location: '/api/v1/knowledge/7' }, body: { id: '7' } });
  });

  it('serialises an object value as JSON', () => {
    const step = responseStep('header', { name: 'X-Page', from: 'body.page' });
    expect(forward(step, { headers: {}, body: { page: { n: 1 } } })).toStrictEqual({ headers: { 'x-page': '{"n":1}' }, body: { page: { n: 1 } } });
  });

  it('sets no header when the value is missing or null', () => {
    expect(forward(total, { headers: {}, body: {} })).toStrictEqual({ headers: {}, body: {} });
    expect(forward(total, { headers: {}, body: { meta: { total: null } } })).toStrictEqual({ headers: {}, body: { meta: { total: null } } });
    expect(forward(total, { body: 'not json' })).toStrictEqual({ body: 'not json' });
  });

  it('has no inverse', () => {
    expect(total.undo).toBeUndefined();
  });

  it('rejects invalid names, both or neither of from and value, and [] in from', () => {
    expect(argumentError(() => responseStep('header', { name: 'X Total', from: 'body.total' }))).toBe('"x total" is not a valid header name (RFC 9110 section 5.1)');
    expect(argumentError(() => responseStep('header', { name: 'X-A', from: 'body.a', value: 'b' }))).toBe('needs exactly one of "from" (a path) or "value" (a template)');
    expect(argumentError(() => responseStep('header', { name: 'X-A' }))).toBe('needs exactly one of "from" (a path) or "value" (a template)');
    expect(argumentError(() => responseStep('header', { name: 'X-Ids', from: 'body.items[].id' }))).toMatch(/^"from" cannot contain \[\] for a header; join a list with value:/);
    expect(argumentError(() => responseStep('header', { from: 'body.a' }))).toBe('needs "name" (a string)');
  });
});
