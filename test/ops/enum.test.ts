import { describe, expect, it } from 'vitest';
import { argumentError, expectUntouched, forward, inverse, resourceRule, responseStep, roundTrip, transformError } from './compile-op.js';

const map = { pending: 'PENDING', running: 'RUNNING', done: 'COMPLETED' };

describe('enum as a resource rule', () => {
  const rule = resourceRule('enum', { field: 'status', map });

  it('maps each v1 value to its v2 value', () => {
    expect(forward(rule, { id: 1, status: 'done' })).toStrictEqual({ id: 1, status: 'COMPLETED' });
    expect(forward(rule, { status: 'pending' })).toStrictEqual({ status: 'PENDING' });
  });

  it('maps each v2 value back to its v1 value', () => {
    expect(inverse(rule, { status: 'COMPLETED' })).toStrictEqual({ status: 'done' });
    expect(inverse(rule, { status: 'RUNNING' })).toStrictEqual({ status: 'running' });
  });

  it('round-trips every listed value', () => {
    for (const value of Object.keys(map)) expect(roundTrip(rule, { status: value })).toStrictEqual({ status: value });
  });

  it('is not flagged lossy by default: values outside both versions never occur in valid messages', () => {
    expect(rule.lossy).toBe(false);
    expect(rule.description).toMatch(/Other values pass unchanged\.$/);
  });

  it('is flagged lossy, and says why, when it is asked to pass unlisted values (onMismatch: keep)', () => {
    const keep = resourceRule('enum', { field: 'status', map: { pending: 'PENDING', running: 'RUNNING', done: 'COMPLETED' }, onMismatch: 'keep' });
    // v1 "PENDING" is not listed, passes to v2 unchanged, and comes back as "pending".
    expect(roundTrip(keep, { status: 'PENDING' })).toStrictEqual({ status: 'pending' });
    expect(keep.lossy).toBe(true);
    expect(keep.description).toBe(
      '`status` values changed (v1 → v2): `pending` → `PENDING`, `running` → `RUNNING`, `done` → `COMPLETED`. Other values pass unchanged, so an unlisted v1 `PENDING` would come back as `pending`.',
    );
  });

  it('is not lossy when the v1 and v2 values are the same set, since no unlisted value can collide', () => {
    const swap = resourceRule('enum', { field: 'side', map: { left: 'right', right: 'left' } });
    expect(swap.lossy).toBe(false);
    expect(swap.description).toMatch(/Other values pass unchanged\.$/);
    for (const side of ['left', 'right', 'up']) expect(roundTrip(swap, { side })).toStrictEqual({ side });
  });

  it('passes values that are not listed unchanged, both ways', () => {
    expect(forward(rule, { status: 'archived' })).toStrictEqual({ status: 'archived' });
    expect(inverse(rule, { status: 'ARCHIVED' })).toStrictEqual({ status: 'ARCHIVED' });
  });

  it('maps the field in every array element, including nested arrays', () => {
    const each = resourceRule('enum', { field: 'jobs[].steps[].state', map });
    const input = { jobs: [{ steps: [{ state: 'done' }, { state: 'running' }] }, { steps: [] }] };
    expect(forward(each, input)).toStrictEqual({ jobs: [{ steps: [{ state: 'COMPLETED' }, { state: 'RUNNING' }] }, { steps: [] }] });
    expect(roundTrip(each, input)).toStrictEqual(input);
    expectUntouched(each, { jobs: [] });
  });

  it('does nothing, and adds no key, when the field is missing', () => {
    expectUntouched(rule, { id: 1 });
    expectUntouched(resourceRule('enum', { field: 'items[].status', map }), { items: [{ id: 1 }] });
  });

  it('keeps null and values of other types as they are', () => {
    expectUntouched(rule, { status: null });
    expectUntouched(rule, { status: 3 });
    expectUntouched(rule, { status: { name: 'done' } });
    expectUntouched(rule, { status: ['done'] });
  });

  it('maps to numbers and booleans as well as strings', () => {
    const numeric = resourceRule('enum', { field: 'level', map: { low: 1, high: 2 } });
    expect(forward(numeric, { level: 'high' })).toStrictEqual({ level: 2 });
    expect(inverse(numeric, { level: 1 })).toStrictEqual({ level: 'low' });
  });
});

describe('enum with onMismatch: fail', () => {
  const strict = resourceRule('enum', { field: 'status', map, onMismatch: 'fail' });

  it('maps listed values both ways and is not lossy: every value it accepts is listed', () => {
    expect(forward(strict, { status: 'done' })).toStrictEqual({ status: 'COMPLETED' });
    expect(inverse(strict, { status: 'RUNNING' })).toStrictEqual({ status: 'running' });
    for (const value of Object.keys(map)) expect(roundTrip(strict, { status: value })).toStrictEqual({ status: value });
    expect(strict.lossy).toBe(false);
    expect(strict.description).toMatch(/Any other value fails the message\.$/);
  });

  it('fails on an unlisted v1 value, naming the v1 values and the field', () => {
    const error = transformError(() => forward(strict, { status: 'archived' }));
    expect(error.path).toBe('status');
    expect(error.message).toBe('expected one of pending, running, done (the v1 values of the enum) at status, got string "archived"');
  });

  it('fails on an unlisted v2 value in the inverse direction, naming the v2 values', () => {
    expect(transformError(() => inverse(strict, { status: 'ARCHIVED' })).message).toBe(
      'expected one of PENDING, RUNNING, COMPLETED (the v2 values of the enum) at status, got string "ARCHIVED"',
    );
    // A v1 spelling is not a v2 value: strict mode refuses it rather than guessing.
    expect(() => inverse(strict, { status: 'done' })).toThrow(/got string "done"/);
  });

  it('fails on values of another type, but passes null and missing fields', () => {
    expect(() => forward(strict, { status: 3 })).toThrow('got number 3');
    expect(() => forward(strict, { status: { name: 'done' } })).toThrow('got an object');
    expectUntouched(strict, { status: null });
    expectUntouched(strict, { id: 1 });
  });

  it('fails a v2 response step on an unlisted value, naming the message path', () => {
    const step = responseStep('enum', { field: 'body.items[].status', map, onMismatch: 'fail' });
    expect(forward(step, { body: { items: [{ status: 'COMPLETED' }] } })).toStrictEqual({ body: { items: [{ status: 'done' }] } });
    const error = transformError(() => forward(step, { body: { items: [{ status: 'COMPLETED' }, { status: 'LOST' }] } }));
    expect(error.path).toBe('body.items[].status');
    expect(error.message).toMatch(/the v2 values of the enum/);
  });
});

describe('enum with onMismatch: keep (the default)', () => {
  it('behaves exactly like the default in both directions, at resource and step level', () => {
    const explicit = resourceRule('enum', { field: 'status', map, onMismatch: 'keep' });
    const implicit = resourceRule('enum', { field: 'status', map });
    for (const status of ['done', 'archived', 'COMPLETED', null, 3]) {
      expect(forward(explicit, { status })).toStrictEqual(forward(implicit, { status }));
      expect(inverse(explicit, { status })).toStrictEqual(inverse(implicit, { status }));
    }
    const step = responseStep('enum', { field: 'body.status', map, onMismatch: 'keep' });
    expect(forward(step, { body: { status: 'LOST' } })).toStrictEqual({ body: { status: 'LOST' } });
    expect(inverse(step, { body: { status: 'lost' } })).toStrictEqual({ body: { status: 'lost' } });
  });
});

describe('enum as a response step', () => {
  it('maps v2 values to v1 values when it runs on a response', () => {
    const step = responseStep('enum', { field: 'body.items[].status', map });
    const v2 = { status: 200, body: { items: [{ status: 'COMPLETED' }, { status: 'PENDING' }] } };
    expect(forward(step, v2)).toStrictEqual({ status: 200, body: { items: [{ status: 'done' }, { status: 'pending' }] } });
    expect(roundTrip(step, v2)).toStrictEqual(v2);
  });
});

describe('enum arguments', () => {
  it('rejects an onMismatch other than fail or keep', () => {
    expect(argumentError(() => resourceRule('enum', { field: 'status', map, onMismatch: 'ignore' }))).toBe(
      '"onMismatch" must be fail (reject the message) or keep (pass the value unchanged), got "ignore"',
    );
  });

  it('rejects a map that is not one-to-one, naming both v1 values', () => {
    expect(argumentError(() => resourceRule('enum', { field: 'status', map: { running: 'ACTIVE', pending: 'ACTIVE' } }))).toBe(
      '"ACTIVE" is the v2 value of both "running" and "pending"; the map must be one-to-one so responses can be mapped back',
    );
  });

  it('rejects an empty or missing map, a missing field and non-scalar v2 values', () => {
    expect(argumentError(() => resourceRule('enum', { field: 'status', map: {} }))).toMatch(/needs "map"/);
    expect(argumentError(() => resourceRule('enum', { field: 'status' }))).toMatch(/needs "map"/);
    expect(argumentError(() => resourceRule('enum', { map }))).toBe('needs "field" (a string)');
    expect(argumentError(() => resourceRule('enum', { field: 'status', map: { done: ['COMPLETED'] } }))).toBe(
      'the v2 value for "done" must be a string, number or boolean',
    );
  });
});

describe('enum with numeric or boolean v1 values', () => {
  it('matches numbers when every key is a number (YAML keys are always text)', () => {
    const rule = resourceRule('enum', { field: 'level', map: { '1': 'LOW', '2': 'HIGH' } });
    expect(forward(rule, { level: 2 })).toStrictEqual({ level: 'HIGH' });
    expect(inverse(rule, { level: 'LOW' })).toStrictEqual({ level: 1 });
  });

  it('matches booleans when every key is true or false', () => {
    const rule = resourceRule('enum', { field: 'active', map: { true: 'ENABLED', false: 'DISABLED' } });
    expect(forward(rule, { active: false })).toStrictEqual({ active: 'DISABLED' });
    expect(inverse(rule, { active: 'ENABLED' })).toStrictEqual({ active: true });
  });

  it('keeps a mixed map textual', () => {
    const rule = resourceRule('enum', { field: 'size', map: { '1': 'ONE', many: 'MANY' } });
    expect(forward(rule, { size: '1' })).toStrictEqual({ size: 'ONE' });
    expect(forward(rule, { size: 1 })).toStrictEqual({ size: 1 });
  });
});
