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

describe('resource with deep: true', () => {
  const deepResources = compileResources({
    Ids: [
      { coerce: { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'keep' } },
      { coerce: { field: 'product_id', v1: 'integer', v2: 'string' } },
    ],
    Timed: [{ move: { v1: 'timeout', v2: 'meta.timeout' } }],
  });
  const v2Product = {
    id: '1',
    name: 'lamp',
    vendor: { id: '9', name: 'acme', address: { id: '90' } },
    reviews: [
      { id: '3', product_id: '1', tags: ['a', 'b'] },
      { id: '4', product_id: '1', replies: [[{ id: '5' }], []] },
    ],
    price: 5,
    note: null,
  };
  const v1Product = {
    id: 1,
    name: 'lamp',
    vendor: { id: 9, name: 'acme', address: { id: 90 } },
    reviews: [
      { id: 3, product_id: 1, tags: ['a', 'b'] },
      { id: 4, product_id: 1, replies: [[{ id: 5 }], []] },
    ],
    price: 5,
    note: null,
  };

  it('converts ids in every embedded object of a v2 response, in lists and lists of lists', () => {
    const step = responseStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    expect(forward(step, { status: 200, body: v2Product })).toStrictEqual({ status: 200, body: v1Product });
    expect(roundTrip(step, { body: v2Product })).toStrictEqual({ body: v2Product });
  });

  it('converts every embedded object of a v1 request body the other way', () => {
    const step = requestStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    expect(forward(step, { body: v1Product })).toStrictEqual({ body: v2Product });
    expect(roundTrip(step, { body: v1Product })).toStrictEqual({ body: v1Product });
  });

  it('without deep converts only the object at the path', () => {
    const shallow = responseStep('resource', { at: 'body', is: 'Ids' }, { resources: deepResources });
    expect(forward(shallow, { body: { id: '1', vendor: { id: '9' } } })).toStrictEqual({ body: { id: 1, vendor: { id: '9' } } });
  });

  it('walks a top-level list and leaves null, scalars and empty containers alone', () => {
    const step = responseStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    expect(forward(step, { body: [{ id: '1' }, null, 3, 'x', [], {}, [null, { id: '2' }]] })).toStrictEqual({ body: [{ id: 1 }, null, 3, 'x', [], {}, [null, { id: 2 }]] });
    expectUntouched(step, { body: null });
    expectUntouched(step, { body: 'text' });
    expectUntouched(step, { status: 204 });
  });

  it('applies to each element a list path reaches, and to what is nested in it', () => {
    const step = responseStep('resource', { at: 'body.data[]', is: 'Ids', deep: true }, { resources: deepResources });
    expect(forward(step, { body: { data: [{ id: '1', vendor: { id: '2' } }], meta: { id: 'page-1' } } })).toStrictEqual({
      body: { data: [{ id: 1, vendor: { id: 2 } }], meta: { id: 'page-1' } },
    });
  });

  it('converts children before parents from v1 to v2, so objects a rule creates are never converted again', () => {
    const request = requestStep('resource', { at: 'body', is: 'Timed', deep: true }, { resources: deepResources });
    const v1 = { timeout: 5, job: { timeout: 6, steps: [{ timeout: 7 }] } };
    const v2 = { meta: { timeout: 5 }, job: { meta: { timeout: 6 }, steps: [{ meta: { timeout: 7 } }] } };
    // Parents first would nest the new `meta` object's own `timeout` a second time.
    expect(forward(request, { body: v1 })).toStrictEqual({ body: v2 });
    // v2 to v1 dissolves each `meta` before descending, the mirror image.
    expect(inverse(request, { body: v2 })).toStrictEqual({ body: v1 });
    const response = responseStep('resource', { at: 'body', is: 'Timed', deep: true }, { resources: deepResources });
    expect(forward(response, { body: v2 })).toStrictEqual({ body: v1 });
    expect(inverse(response, { body: v1 })).toStrictEqual({ body: v2 });
  });

  it('converts an object under a "__proto__" key as data, never touching a prototype', () => {
    const step = responseStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    const body = JSON.parse('{"id": "2", "__proto__": {"id": "1"}}') as Record<string, unknown>;
    const result = step.apply({ body }) as { body: Record<string, unknown> };
    expect(Object.getOwnPropertyDescriptor(result.body, '__proto__')?.value).toStrictEqual({ id: 1 });
    expect(Object.getPrototypeOf(result.body)).toBe(Object.prototype);
    expect(result.body.id).toBe(2);
  });

  it('fails on a strict rule at any depth, naming the field', () => {
    const step = responseStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    const error = transformError(() => forward(step, { body: { reviews: [{ product_id: 'p-1' }] } }));
    expect(error.path).toBe('product_id');
  });

  it('descends 64 levels below the path and refuses a deeper document rather than convert part of it', () => {
    const step = responseStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    const nested = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : levels % 2 ? [nested(levels - 1, leaf)] : { child: nested(levels - 1, leaf) });
    expect(forward(step, { body: nested(64, { id: '1' }) })).toStrictEqual({ body: nested(64, { id: 1 }) });
    expect(forward(step, { body: nested(64, 'deep leaf') })).toStrictEqual({ body: nested(64, 'deep leaf') });
    const error = transformError(() => forward(step, { body: nested(65, { id: '1' }) }));
    expect(error.message).toBe('the document nests more than 64 levels of objects and arrays below body; a deep resource stops there rather than convert it in part');
    expect(error.path).toBe('body');
  });

  it('says in its description that nested objects are converted, and is lossy when a rule is', () => {
    const step = responseStep('resource', { at: 'body', is: 'Ids', deep: true }, { resources: deepResources });
    expect(step.description).toBe('`body` is a Ids, and so is every object nested in it (up to 64 levels).');
    expect(step.lossy).toBe(true);
    expect(responseStep('resource', { at: 'body', is: 'Timed', deep: true }, { resources: deepResources }).lossy).toBe(false);
  });

  it('rejects "**" in the path, showing the deep: true form instead', () => {
    expect(argumentError(() => responseStep('resource', { at: '**', is: 'Ids' }, { resources: deepResources }))).toBe(
      '"at" is a path, and "**" is not part of one; to apply the rules at every depth write { at: body, is: Ids, deep: true }',
    );
    expect(argumentError(() => responseStep('resource', { at: 'body.data.**', is: 'Ids' }, { resources: deepResources }))).toMatch(/write \{ at: body\.data, is: Ids, deep: true \}$/);
  });

  it('rejects a deep that is not true or false', () => {
    expect(argumentError(() => responseStep('resource', { at: 'body', is: 'Ids', deep: 'yes' }, { resources: deepResources }))).toBe(
      '"deep" must be true (also every nested object) or false, got "yes"',
    );
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
