import { describe, expect, it } from 'vitest';
import { argumentError, compileResources, expectUntouched, forward, inverse, requestStep, responseStep, roundTrip, transformError } from './compile-op.js';

const resources = compileResources({
  Knowledge: [
    { coerce: { field: 'id', v1: 'integer', v2: 'string' } },
    { rename: { v1: 'content', v2: 'body' } },
    { move: { v1: 'tags', v2: 'metadata.tags' } },
    { coerce: { field: 'related_ids[]', v1: 'integer', v2: 'string' } },
  ],
  Task: [
    { scale: { field: 'priority', v1: [1, 5], v2: [1, 10] } },
    { enum: { field: 'status', map: { pending: 'PENDING', done: 'COMPLETED' } } },
  ],
});

const v1Knowledge = { id: 7, title: 'T', content: 'text', tags: ['a'], related_ids: [1, 2] };
const v2Knowledge = { id: '7', title: 'T', body: 'text', metadata: { tags: ['a'] }, related_ids: ['1', '2'] };
/** A fresh copy with some fields changed (documents parsed from JSON never share objects). */
const variant = <T extends object>(base: T, changes: Partial<T>): T => ({ ...structuredClone(base), ...changes });

describe('resource in request steps (v1 → v2)', () => {
  const request = requestStep('resource', { at: 'body', is: 'Knowledge' }, { resources });

  it('applies every rule of the resource in order', () => {
    expect(forward(request, { method: 'PUT', body: v1Knowledge })).toStrictEqual({ method: 'PUT', body: v2Knowledge });
  });

  it('undoes the rules in reverse order', () => {
    expect(inverse(request, { body: v2Knowledge })).toStrictEqual({ body: v1Knowledge });
  });

  it('round-trips a resource and is not lossy when no rule is', () => {
    expect(roundTrip(request, { body: v1Knowledge })).toStrictEqual({ body: v1Knowledge });
    expect(request.lossy).toBe(false);
  });
});

describe('resource in response steps (v2 → v1)', () => {
  const list = responseStep('resource', { at: 'body[]', is: 'Knowledge' }, { resources });

  it('turns every v2 element of a list into its v1 form', () => {
    expect(forward(list, { body: [v2Knowledge, variant(v2Knowledge, { id: '8' })] })).toStrictEqual({ body: [v1Knowledge, variant(v1Knowledge, { id: 8 })] });
  });

  it('round-trips a list, an empty list and nested lists', () => {
    expect(roundTrip(list, { body: [v2Knowledge] })).toStrictEqual({ body: [v2Knowledge] });
    expectUntouched(list, { body: [] });
    const nested = responseStep('resource', { at: 'body.pages[].items[]', is: 'Task' }, { resources });
    const v2 = { body: { pages: [{ items: [{ priority: 10, status: 'COMPLETED' }] }, { items: [] }] } };
    expect(forward(nested, v2)).toStrictEqual({ body: { pages: [{ items: [{ priority: 5, status: 'done' }] }, { items: [] }] } });
    expect(roundTrip(nested, v2)).toStrictEqual(v2);
  });

  it('is lossy when one of its rules is (a rounding scale)', () => {
    expect(responseStep('resource', { at: 'body', is: 'Task' }, { resources }).lossy).toBe(true);
  });

  it('does nothing when the body or the list is missing', () => {
    expectUntouched(list, { status: 204 });
    expectUntouched(responseStep('resource', { at: 'body.results[]', is: 'Knowledge' }, { resources }), { body: { count: 0 } });
  });

  it('keeps null resources null, in a body and in a list', () => {
    expectUntouched(responseStep('resource', { at: 'body', is: 'Knowledge' }, { resources }), { body: null });
    expectUntouched(list, { body: [null] });
  });

  it('passes an object without any of the resource\'s fields through unchanged', () => {
    expect(forward(list, { body: [{ title: 'only a title' }] })).toStrictEqual({ body: [{ title: 'only a title' }] });
  });

  it('fails with the field path when a v2 value cannot take its v1 type', () => {
    const one = responseStep('resource', { at: 'body', is: 'Knowledge' }, { resources });
    const error = transformError(() => forward(one, { body: variant(v2Knowledge, { id: 'k-7' }) }));
    expect(error.path).toBe('id');
    expect(error.message).toBe('expected an integer at id, got string "k-7"');
  });
});

describe('resource arguments', () => {
  it('rejects an unknown resource name and lists the declared ones', () => {
    const message = argumentError(() => responseStep('resource', { at: 'body', is: 'Knowlege' }, { resources }));
    expect(message).toMatch(/^unknown resource "Knowlege"/);
    expect(message).toContain('Knowledge, Task');
  });

  it('says to declare resources when there are none', () => {
    expect(argumentError(() => responseStep('resource', { at: 'body', is: 'Task' }))).toMatch(/unknown resource "Task".*declare it under resources:/i);
  });

  it('needs "at" and "is"', () => {
    expect(argumentError(() => responseStep('resource', { is: 'Task' }, { resources }))).toBe('needs "at" (a string)');
    expect(argumentError(() => responseStep('resource', { at: 'body' }, { resources }))).toBe('needs "is" (a string)');
  });
});
