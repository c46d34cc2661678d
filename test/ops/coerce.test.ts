import { describe, expect, it } from 'vitest';
import { argumentError, compileResources, expectUntouched, forward, inverse, resourceRule, responseStep, roundTrip, transformError } from './compile-op.js';

describe('coerce as a resource rule', () => {
  const ids = resourceRule('coerce', { field: 'id', v1: 'integer', v2: 'string' });

  it('turns a v1 integer into a v2 string', () => {
    expect(forward(ids, { id: 42, title: 'x' })).toStrictEqual({ id: '42', title: 'x' });
  });

  it('turns a v2 decimal string back into a v1 integer', () => {
    expect(inverse(ids, { id: '42' })).toStrictEqual({ id: 42 });
    expect(inverse(ids, { id: '-7' })).toStrictEqual({ id: -7 });
  });

  it('round-trips and is not lossy', () => {
    expect(roundTrip(ids, { id: 42 })).toStrictEqual({ id: 42 });
    expect(ids.lossy).toBe(false);
  });

  it('converts every element of an id list, nested lists included', () => {
    const related = resourceRule('coerce', { field: 'related_ids[]', v1: 'integer', v2: 'string' });
    expect(forward(related, { related_ids: [1, 2] })).toStrictEqual({ related_ids: ['1', '2'] });
    expect(roundTrip(related, { related_ids: [1, 2] })).toStrictEqual({ related_ids: [1, 2] });
    expectUntouched(related, { related_ids: [] });
    const nested = resourceRule('coerce', { field: 'pages[].ids[]', v1: 'integer', v2: 'string' });
    expect(forward(nested, { pages: [{ ids: [1] }, { ids: [] }] })).toStrictEqual({ pages: [{ ids: ['1'] }, { ids: [] }] });
  });

  it('does nothing, and adds no key, when the field is missing', () => {
    expectUntouched(ids, { title: 'x' });
  });

  it('passes null through: an absent value is not a type error', () => {
    expectUntouched(ids, { id: null });
    expectUntouched(resourceRule('coerce', { field: 'related_ids[]', v1: 'integer', v2: 'string' }), { related_ids: [null, null] });
  });

  it('throws a TransformError with the path for a v2 string that is not an integer', () => {
    const error = transformError(() => inverse(ids, { id: 'abc' }));
    expect(error.path).toBe('id');
    expect(error.message).toBe('expected an integer at id, got string "abc"');
  });

  it('rejects a fractional number rather than rounding it to an integer', () => {
    const count = resourceRule('coerce', { field: 'count', v1: 'number', v2: 'integer' });
    expect(forward(count, { count: 3 })).toStrictEqual({ count: 3 });
    expect(() => forward(count, { count: 1.5 })).toThrow('expected an integer at count, got number 1.5');
  });

  it('refuses objects and arrays where a scalar is expected', () => {
    expect(() => forward(ids, { id: { value: 1 } })).toThrow('expected a string, number or boolean at id, got an object');
    expect(() => inverse(ids, { id: [1] })).toThrow('expected an integer at id, got an array');
  });

  it('converts booleans to and from their text form and nothing else', () => {
    const flag = resourceRule('coerce', { field: 'active', v1: 'boolean', v2: 'string' });
    expect(forward(flag, { active: true })).toStrictEqual({ active: 'true' });
    expect(roundTrip(flag, { active: false })).toStrictEqual({ active: false });
    expect(() => inverse(flag, { active: 'yes' })).toThrow('expected true or false at active, got string "yes"');
  });

  it('converts numbers to and from text without losing digits', () => {
    const amount = resourceRule('coerce', { field: 'amount', v1: 'number', v2: 'string' });
    expect(forward(amount, { amount: 0.1 })).toStrictEqual({ amount: '0.1' });
    expect(roundTrip(amount, { amount: 1234.5678 })).toStrictEqual({ amount: 1234.5678 });
    expect(() => inverse(amount, { amount: '' })).toThrow('expected a number at amount, got string ""');
  });
});

describe('coerce as a response step', () => {
  it('converts v2 values to the v1 type when it runs on a response', () => {
    const step = responseStep('coerce', { field: 'body.items[].id', v1: 'integer', v2: 'string' });
    const v2 = { body: { items: [{ id: '1' }, { id: '2' }] } };
    expect(forward(step, v2)).toStrictEqual({ body: { items: [{ id: 1 }, { id: 2 }] } });
    expect(roundTrip(step, v2)).toStrictEqual(v2);
  });

  it('names the message path when a v2 value cannot take the v1 type', () => {
    const step = responseStep('coerce', { field: 'body.id', v1: 'integer', v2: 'string' });
    expect(transformError(() => forward(step, { body: { id: 'k-1' } })).path).toBe('body.id');
  });
});

describe('coerce with onMismatch: keep', () => {
  const ids = resourceRule('coerce', { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'keep' });

  it('still converts every value that fits, both ways', () => {
    expect(forward(ids, { id: 42 })).toStrictEqual({ id: '42' });
    expect(inverse(ids, { id: '42' })).toStrictEqual({ id: 42 });
  });

  it('passes a v2 string that is no integer unchanged instead of failing the response', () => {
    expect(inverse(ids, { id: 'k-1' })).toStrictEqual({ id: 'k-1' });
    // ...and the kept value goes back to v2 as it came.
    expect(forward(ids, inverse(ids, { id: 'k-1' }))).toStrictEqual({ id: 'k-1' });
  });

  it('keeps values of every other shape in both directions, element by element', () => {
    const related = resourceRule('coerce', { field: 'related_ids[]', v1: 'integer', v2: 'string', onMismatch: 'keep' });
    expect(inverse(related, { related_ids: ['1', 'x', '2.5', '', null] })).toStrictEqual({ related_ids: [1, 'x', '2.5', '', null] });
    expect(forward(related, { related_ids: [1, { id: 1 }, [2]] })).toStrictEqual({ related_ids: ['1', { id: 1 }, [2]] });
    const count = resourceRule('coerce', { field: 'count', v1: 'number', v2: 'integer', onMismatch: 'keep' });
    expect(forward(count, { count: 1.5 })).toStrictEqual({ count: 1.5 });
    expect(roundTrip(count, { count: 1.5 })).toStrictEqual({ count: 1.5 });
  });

  it('is flagged lossy, and says so: a value of neither type can be converted one way only', () => {
    // true is no integer, but the string conversion accepts it; "true" then is no integer either.
    expect(roundTrip(ids, { id: true })).toStrictEqual({ id: 'true' });
    expect(ids.lossy).toBe(true);
    expect(ids.description).toBe('`id` is an integer in v1 and a string in v2. A value that cannot take the other version\'s type passes unchanged, both ways; one of neither type may come back converted (`true` → `"true"`).');
    expect(resourceRule('coerce', { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'fail' }).lossy).toBe(false);
  });

  it('keeps a mismatch in a response step, where the default would fail the response', () => {
    const step = responseStep('coerce', { field: 'body.items[].id', v1: 'integer', v2: 'string', onMismatch: 'keep' });
    expect(forward(step, { body: { items: [{ id: '1' }, { id: 'legacy-7' }] } })).toStrictEqual({ body: { items: [{ id: 1 }, { id: 'legacy-7' }] } });
    const strict = responseStep('coerce', { field: 'body.items[].id', v1: 'integer', v2: 'string' });
    expect(transformError(() => forward(strict, { body: { items: [{ id: 'legacy-7' }] } })).path).toBe('body.items[].id');
  });

  it('keeps a mismatch inside a resource, also on the planned per-shape path', () => {
    const resources = compileResources({ Item: [{ coerce: { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'keep' } }, { rename: { v1: 'name', v2: 'title' } }] });
    const step = responseStep('resource', { at: 'body[]', is: 'Item' }, { resources });
    const v2 = { body: [{ id: '1', title: 'a' }, { id: 'x', title: 'b' }, { id: '2', title: 'c' }] };
    expect(forward(step, v2)).toStrictEqual({ body: [{ id: 1, name: 'a' }, { id: 'x', name: 'b' }, { id: 2, name: 'c' }] });
    expect(step.lossy).toBe(true);
  });
});

describe('coerce arguments', () => {
  it('rejects an onMismatch other than fail or keep', () => {
    expect(argumentError(() => resourceRule('coerce', { field: 'id', v1: 'integer', v2: 'string', onMismatch: true }))).toBe(
      '"onMismatch" must be fail (reject the message) or keep (pass the value unchanged), got true',
    );
  });

  it('rejects types it does not know, listing the ones it does', () => {
    expect(argumentError(() => resourceRule('coerce', { field: 'id', v1: 'int', v2: 'string' }))).toBe(
      '"v1" and "v2" must each be one of integer, number, string, boolean',
    );
    expect(argumentError(() => resourceRule('coerce', { v1: 'integer', v2: 'string' }))).toBe('needs "field" (a string)');
  });
});
