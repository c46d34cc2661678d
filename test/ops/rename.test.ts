import { describe, expect, it } from 'vitest';
import { PathSyntaxError } from '../../src/core/transform/path.js';
import { argumentError, expectUntouched, forward, inverse, requestStep, resourceRule, roundTrip } from './compile-op.js';

describe('rename as a resource rule', () => {
  const rule = resourceRule('rename', { v1: 'content', v2: 'body' });
  const v1 = { id: 1, content: 'text', title: 'T' };
  const v2 = { id: 1, body: 'text', title: 'T' };

  it('renames the v1 field to its v2 name and keeps every other field', () => {
    expect(forward(rule, v1)).toStrictEqual(v2);
  });

  it('renames the v2 field back to its v1 name', () => {
    expect(inverse(rule, v2)).toStrictEqual(v1);
  });

  it('round-trips v1 → v2 → v1 exactly and is not lossy', () => {
    expect(roundTrip(rule, v1)).toStrictEqual(v1);
    expect(rule.lossy).toBe(false);
  });

  it('renames inside nested objects when both names share a parent', () => {
    const nested = resourceRule('rename', { v1: 'meta.kind', v2: 'meta.type' });
    expect(forward(nested, { meta: { kind: 'a', x: 1 } })).toStrictEqual({ meta: { type: 'a', x: 1 } });
    expect(roundTrip(nested, { meta: { kind: 'a', x: 1 } })).toStrictEqual({ meta: { kind: 'a', x: 1 } });
  });

  it('renames the field in every element of an array, keeping element order', () => {
    const each = resourceRule('rename', { v1: 'items[].qty', v2: 'items[].quantity' });
    const input = { items: [{ qty: 1, sku: 'a' }, { qty: 2, sku: 'b' }] };
    expect(forward(each, input)).toStrictEqual({ items: [{ quantity: 1, sku: 'a' }, { quantity: 2, sku: 'b' }] });
    expect(roundTrip(each, input)).toStrictEqual(input);
  });

  it('renames through nested arrays, leaving empty inner arrays alone', () => {
    const nested = resourceRule('rename', { v1: 'groups[].items[].qty', v2: 'groups[].items[].quantity' });
    const input = { groups: [{ items: [{ qty: 1 }, { qty: 2 }] }, { items: [] }, { items: [{ qty: 3 }] }] };
    expect(forward(nested, input)).toStrictEqual({
      groups: [{ items: [{ quantity: 1 }, { quantity: 2 }] }, { items: [] }, { items: [{ quantity: 3 }] }],
    });
    expect(roundTrip(nested, input)).toStrictEqual(input);
  });

  it('leaves an empty array as it is', () => {
    expectUntouched(resourceRule('rename', { v1: 'items[].qty', v2: 'items[].quantity' }), { items: [] });
  });

  it('skips array elements that lack the field instead of creating it', () => {
    const each = resourceRule('rename', { v1: 'items[].qty', v2: 'items[].quantity' });
    const input = { items: [{ qty: 1 }, { sku: 'b' }] };
    expect(forward(each, input)).toStrictEqual({ items: [{ quantity: 1 }, { sku: 'b' }] });
    expect(roundTrip(each, input)).toStrictEqual(input);
  });

  it('does nothing, and adds no key, when the field is missing', () => {
    expectUntouched(rule, { id: 1, title: 'T' });
  });

  it('carries a null value under the new name', () => {
    expect(forward(rule, { content: null })).toStrictEqual({ body: null });
    expect(roundTrip(rule, { content: null })).toStrictEqual({ content: null });
  });

  it('moves values of any type unchanged (objects, arrays, numbers)', () => {
    const input = { content: { blocks: [1, 'two', false] } };
    expect(forward(rule, input)).toStrictEqual({ body: { blocks: [1, 'two', false] } });
  });

  it('does not crash when the document or the field\'s parent is not an object', () => {
    expectUntouched(rule, 'plain text');
    expectUntouched(rule, null);
    expectUntouched(resourceRule('rename', { v1: 'meta.kind', v2: 'meta.type' }), { meta: 'not an object' });
    expectUntouched(resourceRule('rename', { v1: 'items[].qty', v2: 'items[].quantity' }), { items: [1, null, 'x'] });
  });
});

describe('rename as a step', () => {
  it('renames a query parameter to a key with brackets, taken verbatim', () => {
    const step = requestStep('rename', { from: 'query.page', to: 'query.page[number]' });
    const request = { query: { page: '2', q: 'x' } };
    expect(forward(step, request)).toStrictEqual({ query: { 'page[number]': '2', q: 'x' } });
    expect(inverse(step, { query: { 'page[number]': '2', q: 'x' } })).toStrictEqual(request);
  });

  it('renames a body field and its undo gives the original back', () => {
    const step = requestStep('rename', { from: 'body.content', to: 'body.text' });
    const request = { body: { content: 'hello' } };
    expect(forward(step, request)).toStrictEqual({ body: { text: 'hello' } });
    expect(roundTrip(step, request)).toStrictEqual(request);
  });
});

describe('rename arguments', () => {
  it('rejects two names with different parents and points to move', () => {
    expect(argumentError(() => resourceRule('rename', { v1: 'content', v2: 'meta.content' }))).toBe(
      '"content" and "meta.content" have different parents; use move to change where a field lives',
    );
  });

  it('names the keys it needs: v1/v2 in resources, from/to in steps', () => {
    expect(argumentError(() => resourceRule('rename', { from: 'a', to: 'b' }))).toMatch(/needs "v1" and "v2" paths/);
    expect(argumentError(() => requestStep('rename', { v1: 'body.a', v2: 'body.b' }))).toMatch(/needs "from" and "to" paths/);
    expect(argumentError(() => requestStep('rename', 'body.a'))).toBe('expects an object of arguments');
  });

  it('rejects an unknown "as" conversion', () => {
    expect(argumentError(() => requestStep('rename', { from: 'query.a', to: 'query.b', as: 'float' }))).toMatch(/"as" must be one of integer, number, string, boolean, csv, array/);
  });

  it('rejects malformed paths with a path syntax error', () => {
    expect(() => resourceRule('rename', { v1: 'a..b', v2: 'a..c' })).toThrow(PathSyntaxError);
  });
});
