import { describe, expect, it, vi } from 'vitest';
import { emptyMessage, type HttpMessage } from '../../src/core/model/http-message.js';
import type { TransformFunction } from '../../src/core/ports.js';
import { argumentError, forward, requestStep, responseStep } from './compile-op.js';

function resolverFor(functions: Record<string, TransformFunction>) {
  return (reference: string) => functions[reference];
}

const linkHeader: TransformFunction = (message) => {
  message.headers.link = `<${String((message.body as { next: string }).next)}>; rel="next"`;
};

describe('fn', () => {
  it('runs the named function on the message, changed in place', () => {
    const step = responseStep('fn', './transforms.ts#linkHeader', { resolveFunction: resolverFor({ './transforms.ts#linkHeader': linkHeader }) });
    const v2 = emptyMessage({ status: 200, body: { next: '/items?page=2' } });
    expect(forward(step, v2)).toStrictEqual({ ...v2, headers: { link: '</items?page=2>; rel="next"' } });
  });

  it('uses the message the function returns, when it returns one', () => {
    const replace: TransformFunction = (message) => ({ ...message, body: { replaced: true } });
    const step = requestStep('fn', './t.ts#replace', { resolveFunction: resolverFor({ './t.ts#replace': replace }) });
    expect(forward(step, emptyMessage({ body: { a: 1 } }))).toMatchObject({ body: { replaced: true } });
  });

  it('tells the function which endpoint and direction it runs in', () => {
    const spy = vi.fn<TransformFunction>();
    const step = responseStep('fn', './t.ts#spy', { resolveFunction: resolverFor({ './t.ts#spy': spy }), endpointId: 'list-knowledge' });
    const message: HttpMessage = emptyMessage({ status: 200 });
    step.apply(message);
    expect(spy).toHaveBeenCalledWith(message, expect.objectContaining({ endpoint: 'list-knowledge', direction: 'to-v1' }));
    // Outside an exchange the function still gets a request to read, an empty one.
    expect(spy.mock.calls[0]![1].request).toMatchObject({ method: '', query: {} });
  });

  it('has no inverse, and claims to read and write nothing it can name', () => {
    const step = requestStep('fn', './t.ts#noop', { resolveFunction: () => () => undefined });
    expect(step.undo).toBeUndefined();
    expect(step.reads).toEqual([]);
    expect(step.description).toBe('Custom step `./t.ts#noop`.');
  });

  it('lets errors of the function reach the caller', () => {
    const failing: TransformFunction = () => {
      throw new Error('no next page');
    };
    const step = responseStep('fn', './t.ts#failing', { resolveFunction: () => failing });
    expect(() => forward(step, emptyMessage())).toThrow('no next page');
  });

  it('rejects references without "#export" and functions the module does not export', () => {
    expect(argumentError(() => requestStep('fn', './transforms.ts'))).toBe('expects "./module.ts#exportName"');
    expect(argumentError(() => requestStep('fn', './transforms.ts#1bad'))).toBe('expects "./module.ts#exportName"');
    expect(argumentError(() => requestStep('fn', { module: './t.ts' }))).toBe('expects "./module.ts#exportName"');
    expect(argumentError(() => requestStep('fn', './transforms.ts#missing'))).toBe(
      '"./transforms.ts#missing" was not found: the module must export a function named after the #',
    );
  });
});
