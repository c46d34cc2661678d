import { describe, expect, it } from 'vitest';
import { PathSyntaxError } from '../../src/core/transform/path.js';
import { compileTemplate, hasPlaceholder, TEMPLATE_FILTERS, TemplateError, templateReferences } from '../../src/core/transform/template.js';
import { detachedContext, newContext, snapshotRequest } from '../../src/core/model/exchange-context.js';
import { emptyMessage } from '../../src/core/model/http-message.js';

const problem = {
  status: 404,
  headers: { 'x-request-id': 'r-1' },
  body: { type: 'https://api.test/problems/not-found', title: 'Not Found', detail: 'No item 7', id: 7, ok: false, tags: ['a'], meta: { total: 2 }, none: null },
};
const render = (template: unknown, scope: Record<string, unknown> = problem) => compileTemplate(template)(scope);

describe('whole-value templates', () => {
  it('keep the type of the value they reference', () => {
    expect(render('${body.id}')).toBe(7);
    expect(render('${body.ok}')).toBe(false);
    expect(render('${body.tags}')).toEqual(['a']);
    expect(render('${body.meta}')).toEqual({ total: 2 });
    expect(render('${body.none}')).toBeNull();
    expect(render('${status}')).toBe(404);
  });

  it('give undefined for a missing value, so nothing is written', () => {
    expect(render('${body.missing}')).toBeUndefined();
    expect(render('${body.missing|slug}')).toBeUndefined();
  });

  it('turn the value into text once a filter applies', () => {
    expect(render('${body.id|trim}')).toBe('7');
  });
});

describe('interpolated templates', () => {
  it('render every placeholder inside the text', () => {
    expect(render('${status}: ${body.title} (${headers.x-request-id})')).toBe('404: Not Found (r-1)');
  });

  it('render missing and null values as empty text', () => {
    expect(render('[${body.missing}][${body.none}]')).toBe('[][]');
  });

  it('render objects and lists as JSON', () => {
    expect(render('meta=${body.meta} tags=${body.tags}')).toBe('meta={"total":2} tags=["a"]');
  });

  it('leave text without placeholders and non-string values as they are', () => {
    expect(render('plain $ {text}')).toBe('plain $ {text}');
    expect(render(42)).toBe(42);
    expect(render(null)).toBeNull();
  });

  it('fill placeholders in nested objects and lists', () => {
    expect(render({ error: { code: '${body.title|snake}', ids: ['${body.id}', 'x'] }, fixed: true })).toEqual({
      error: { code: 'not_found', ids: [7, 'x'] },
      fixed: true,
    });
  });

  it('read header names case-insensitively', () => {
    expect(render('${headers.X-Request-Id}')).toBe('r-1');
  });

  it('read a named document in scope, such as the main response of a multi-call endpoint', () => {
    const context = detachedContext('get-item');
    context.responses.main = { body: { id: 'k-1' } };
    expect(compileTemplate('/items/${main.body.id}/related')({}, context)).toBe('/items/k-1/related');
    expect(compileTemplate('/items/${main.body.id}/related')({})).toBe('/items//related');
  });

  it('read the v1 request as the client sent it, beside the message', () => {
    const context = newContext('list', snapshotRequest(emptyMessage({ method: 'GET', path: '/v1/items', query: { offset: '20', tag: ['a', 'b'] }, headers: { origin: 'https://app.test' } }), 'https://api.test/v1/items?offset=20', false));
    expect(compileTemplate('${request.query.offset|number}')(problem, context)).toBe(20);
    expect(compileTemplate('${request.url}')(problem, context)).toBe('https://api.test/v1/items?offset=20');
    expect(compileTemplate('${request.headers.Origin}')(problem, context)).toBe('https://app.test');
    expect(compileTemplate('${request.query.tag|join:;}')(problem, context)).toBe('a;b');
    expect(compileTemplate('${request.query.missing|default:10}')(problem, context)).toBe(10);
    // Without an exchange (a resource round trip) the request reads as nothing, never as the message.
    expect(compileTemplate('${request.query.offset}')(problem)).toBeUndefined();
  });

  it('read every value a [] path reaches as a list, for batched calls', () => {
    const message = { body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }] } };
    expect(compileTemplate('${body.data[].id|join}')(message)).toBe('1,2,3');
    expect(compileTemplate('${body.data[].id|count}')(message)).toBe(3);
    expect(compileTemplate('${body.data[].id|join}')({ body: { data: [] } })).toBeUndefined();
  });

  it('read plain field paths from a resource-shaped scope', () => {
    expect(render('${id}-${meta.total}', { id: 3, meta: { total: 9 } })).toBe('3-9');
  });
});

describe('template filters', () => {
  it.each([
    ['last-segment', 'https://api.test/problems/not-found', 'not-found'],
    ['last-segment', 'https://api.test/problems/not-found/', 'not-found'],
    ['last-segment', 'urn:problem-type#rate-limited', 'rate-limited'],
    ['last-segment', 'no-slashes', 'no-slashes'],
    ['snake', 'not-found', 'not_found'],
    ['snake', 'ValidationError', 'validation_error'],
    ['snake', 'rate limit: exceeded!', 'rate_limit_exceeded'],
    ['slug', 'Not Found', 'not-found'],
    ['slug', 'ValidationError', 'validation-error'],
    ['slug', 'HTTP 404: Not Found', 'http-404-not-found'],
    ['lower', 'MiXed', 'mixed'],
    ['upper', 'MiXed', 'MIXED'],
    ['trim', '  padded  ', 'padded'],
  ])('%s turns %j into %j', (filter, input, output) => {
    expect(render(`\${value|${filter}}`, { value: input })).toBe(output);
  });

  it('apply left to right', () => {
    expect(render('${body.type|last-segment|snake}')).toBe('not_found');
    expect(render('${body.type|snake|last-segment}')).toBe('https_api_test_problems_not_found');
  });

  it('tolerate spaces around paths and filter names', () => {
    expect(render('${ body.title | slug }')).toBe('not-found');
  });

  it('are the documented set', () => {
    expect(TEMPLATE_FILTERS).toEqual(['lower', 'upper', 'trim', 'last-segment', 'slug', 'snake', 'join', 'number', 'string', 'count', 'first', 'default', 'url-encode']);
  });
});

describe('template errors', () => {
  it('reject unknown filters at compile time, listing the known ones', () => {
    expect(() => compileTemplate('${body.type|kebab}')).toThrow(TemplateError);
    expect(() => compileTemplate('${body.type|kebab}')).toThrow('unknown filter "kebab" in "${body.type|kebab}"; filters: lower, upper, trim, last-segment, slug, snake');
  });

  it('reject empty placeholders and malformed paths', () => {
    expect(() => compileTemplate('a ${ } b')).toThrow('empty placeholder "${ }"');
    expect(() => compileTemplate({ nested: ['${body..x}'] })).toThrow(PathSyntaxError);
  });
});

describe('template inspection', () => {
  it('find placeholders anywhere in a value', () => {
    expect(hasPlaceholder({ a: ['x', '${body.id}'] })).toBe(true);
    expect(hasPlaceholder({ a: ['x', '$body'] })).toBe(false);
    expect(hasPlaceholder(5)).toBe(false);
  });

  it('list the paths a value reads, without filters', () => {
    expect(templateReferences({ id: '${main.body.id}', q: ['${ query.q | trim }', 'x'], n: 1 })).toEqual(['main.body.id', 'query.q']);
  });
});
