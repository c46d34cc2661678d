import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, resourceRule, responseStep, roundTrip } from './compile-op.js';

describe('unwrap as a response step', () => {
  const unwrap = responseStep('unwrap', 'body.data');

  it('replaces the envelope by the value under its key', () => {
    expect(forward(unwrap, { status: 200, body: { data: [{ id: 1 }] } })).toStrictEqual({ status: 200, body: [{ id: 1 }] });
  });

  it('puts the value back into an envelope on undo', () => {
    expect(inverse(unwrap, { body: [{ id: 1 }] })).toStrictEqual({ body: { data: [{ id: 1 }] } });
  });

  it('round-trips an envelope with no other members', () => {
    expect(roundTrip(unwrap, { body: { data: [] } })).toStrictEqual({ body: { data: [] } });
    expect(roundTrip(unwrap, { body: { data: { id: 1 } } })).toStrictEqual({ body: { data: { id: 1 } } });
  });

  it('drops the envelope\'s other members, and is flagged lossy for it', () => {
    const v2 = { body: { data: [1], meta: { total: 1 } } };
    expect(forward(unwrap, v2)).toStrictEqual({ body: [1] });
    expect(roundTrip(unwrap, v2)).toStrictEqual({ body: { data: [1] } });
    expect(unwrap.lossy).toBe(true);
    expect(unwrap.description).toContain('other envelope fields are dropped');
  });

  it('does nothing when the envelope key is missing, keeping the body as it is', () => {
    expect(forward(unwrap, { body: { meta: { total: 0 } } })).toStrictEqual({ body: { meta: { total: 0 } } });
    expect(forward(unwrap, { status: 204 })).toStrictEqual({ status: 204 });
  });

  it('unwraps a null value to a null body, and leaves a null body alone', () => {
    expect(forward(unwrap, { body: { data: null } })).toStrictEqual({ body: null });
    expect(forward(unwrap, { body: null })).toStrictEqual({ body: null });
  });

  it('leaves bodies that are not objects alone', () => {
    expect(forward(unwrap, { body: 'plain text' })).toStrictEqual({ body: 'plain text' });
    expect(forward(unwrap, { body: [{ data: 1 }] })).toStrictEqual({ body: [{ data: 1 }] });
  });
});

describe('unwrap as a resource rule', () => {
  const rule = resourceRule('unwrap', 'location.coordinates');

  it('flattens a v1 envelope into the v2 value, and wraps it back', () => {
    expect(forward(rule, { location: { coordinates: [1, 2] } })).toStrictEqual({ location: [1, 2] });
    expect(inverse(rule, { location: [1, 2] })).toStrictEqual({ location: { coordinates: [1, 2] } });
    expect(roundTrip(rule, { location: { coordinates: [1, 2] } })).toStrictEqual({ location: { coordinates: [1, 2] } });
  });

  it('unwraps in every array element, leaving empty arrays alone', () => {
    const each = resourceRule('unwrap', 'items[].price.amount');
    const input = { items: [{ price: { amount: 5 } }, { price: { amount: 7 } }] };
    expect(forward(each, input)).toStrictEqual({ items: [{ price: 5 }, { price: 7 }] });
    expect(roundTrip(each, input)).toStrictEqual(input);
    expectUntouched(each, { items: [] });
  });
});

describe('unwrap arguments', () => {
  it('needs a path that ends in the envelope key', () => {
    expect(argumentError(() => responseStep('unwrap', 'body'))).toBe('"body" must end in the envelope\'s key, e.g. body.data');
    expect(argumentError(() => resourceRule('unwrap', 'data'))).toBe('"data" must end in the envelope\'s key, e.g. body.data');
    expect(argumentError(() => responseStep('unwrap', ['body.data']))).toMatch(/expects a path/);
  });
});
