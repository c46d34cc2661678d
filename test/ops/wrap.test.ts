import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, requestStep, resourceRule, roundTrip } from './compile-op.js';

describe('wrap as a request step', () => {
  const envelope = requestStep('wrap', 'body.data');

  it('puts the whole v1 body inside the envelope key', () => {
    expect(forward(envelope, { method: 'POST', body: { title: 'T' } })).toStrictEqual({ method: 'POST', body: { data: { title: 'T' } } });
  });

  it('takes the value back out of the envelope on undo', () => {
    expect(inverse(envelope, { body: { data: { title: 'T' } } })).toStrictEqual({ body: { title: 'T' } });
  });

  it('round-trips objects, arrays and scalars, and is not lossy', () => {
    for (const body of [{ title: 'T' }, [1, 2], 'text', 0, false]) expect(roundTrip(envelope, { body })).toStrictEqual({ body });
    expect(envelope.lossy).toBe(false);
  });

  it('accepts the object form { path }', () => {
    expect(forward(requestStep('wrap', { path: 'body.data' }), { body: [1] })).toStrictEqual({ body: { data: [1] } });
  });

  it('wraps an empty array as it is', () => {
    expect(forward(envelope, { body: [] })).toStrictEqual({ body: { data: [] } });
  });

  it('does nothing when the message has no body: no envelope around nothing', () => {
    expectUntouched(envelope, { method: 'GET' });
  });

  it('wraps a null body as null, and unwraps it back', () => {
    expect(forward(envelope, { body: null })).toStrictEqual({ body: { data: null } });
    expect(roundTrip(envelope, { body: null })).toStrictEqual({ body: null });
  });
});

describe('wrap as a resource rule', () => {
  const rule = resourceRule('wrap', 'location.coordinates');

  it('nests a field\'s value under a new key, and undoes it', () => {
    expect(forward(rule, { id: 1, location: [52.5, 13.4] })).toStrictEqual({ id: 1, location: { coordinates: [52.5, 13.4] } });
    expect(inverse(rule, { id: 1, location: { coordinates: [52.5, 13.4] } })).toStrictEqual({ id: 1, location: [52.5, 13.4] });
    expect(roundTrip(rule, { location: {} })).toStrictEqual({ location: {} });
  });

  it('wraps the field of every array element, leaving empty arrays alone', () => {
    const each = resourceRule('wrap', 'items[].price.amount');
    const input = { items: [{ price: 5 }, { price: 7 }] };
    expect(forward(each, input)).toStrictEqual({ items: [{ price: { amount: 5 } }, { price: { amount: 7 } }] });
    expect(roundTrip(each, input)).toStrictEqual(input);
    expectUntouched(each, { items: [] });
  });

  it('does nothing when the field is missing', () => {
    expectUntouched(rule, { id: 1 });
  });
});

describe('wrap arguments', () => {
  it('needs a path that ends in the envelope key', () => {
    expect(argumentError(() => requestStep('wrap', 'body'))).toBe('"body" must end in the envelope\'s key, e.g. body.data');
    expect(argumentError(() => requestStep('wrap', 'body.items[]'))).toBe('"body.items[]" must end in the envelope\'s key, e.g. body.data');
    expect(argumentError(() => resourceRule('wrap', 'data'))).toBe('"data" must end in the envelope\'s key, e.g. body.data');
  });

  it('needs a path at all', () => {
    expect(argumentError(() => requestStep('wrap', 5))).toBe('expects a path such as body.data (the value inside the envelope)');
    expect(argumentError(() => requestStep('wrap', { key: 'data' }))).toBe('expects a path such as body.data (the value inside the envelope)');
  });
});
