import { describe, expect, it } from 'vitest';
import { CompatError } from '../../src/core/errors.js';
import { newContext, snapshotRequest } from '../../src/core/model/exchange-context.js';
import { emptyMessage } from '../../src/core/model/http-message.js';
import { gatewayErrorMessage } from '../../src/core/pipeline/gateway-error.js';
import type { TraceEntry } from '../../src/core/pipeline/trace.js';
import { compatError, fakeV2, run } from './exchange-harness.js';
import { compiledTable, diagnosticsOf, endpoint, mappingDocument } from './mapping-builders.js';

const products = [
  { id: 1, name: 'Äpfel', price: 5, vendor_id: 10 },
  { id: 2, name: 'birnen', price: 12, vendor_id: 11 },
  { id: 3, name: 'Zitronen', price: 3, vendor_id: 10 },
  { id: 4, name: 'Bananen', price: 12, vendor_id: 12 },
];

describe('response steps read the v1 request', () => {
  const table = compiledTable(
    mappingDocument({
      endpoints: [
        endpoint('list', 'GET /items', 'GET /v2/items', {
          response: [
            { header: { name: 'X-Asked-Limit', value: '${request.query.limit}' }, when: { 'request.query.limit': { exists: true } } },
            { header: { name: 'Access-Control-Allow-Origin', from: 'request.headers.origin' }, when: { 'request.headers.origin': { in: ['https://app.test'] } } },
            { set: { path: 'body.self', value: '${request.url}' } },
          ],
        }),
      ],
    }),
  );

  it('runs a step only when its condition holds', async () => {
    const { send } = fakeV2({ 'GET /v2/items': { body: { self: null } } });
    const asked = await run(table, 'GET /items?limit=5', send, { headers: { origin: 'https://app.test' } });
    expect(asked.response.headers['x-asked-limit']).toBe('5');
    expect(asked.response.headers['access-control-allow-origin']).toBe('https://app.test');
    expect(asked.response.body).toEqual({ self: 'https://api.test/items?limit=5' });
    const plain = await run(table, 'GET /items', send, { headers: { origin: 'https://evil.test' } });
    expect(plain.response.headers).not.toHaveProperty('x-asked-limit');
    expect(plain.response.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('shows in the trace which conditions held', async () => {
    const { send } = fakeV2({ 'GET /v2/items': { body: {} } });
    const trace: TraceEntry[] = [];
    await run(table, 'GET /items', send, {}, trace);
    expect(trace.filter((entry) => entry.condition).map((entry) => [entry.op, entry.condition!.held])).toEqual([
      ['header', false],
      ['header', false],
    ]);
  });

  it('sends v2 a query parameter a request step wrote from the v1 one, and not one only later stages read', async () => {
    const table = compiledTable(
      mappingDocument({
        endpoints: [
          endpoint('list', 'GET /items', 'GET /v2/items', {
            request: [{ set: { path: 'query.limit', value: '${request.query.limit|number|default:20}' } }],
            response: [{ header: { name: 'X-Asked', value: '${request.query.q}' } }],
          }),
        ],
      }),
    );
    const v2 = fakeV2({ 'GET /v2/items': { body: [] } });
    const asked = await run(table, 'GET /items?limit=5&q=tea', v2.send);
    await run(table, 'GET /items', v2.send);
    expect(v2.sent.map((s) => s.request.query)).toEqual([{ limit: 5 }, { limit: 20 }]);
    expect(asked.response.headers['x-asked']).toBe('tea');
  });

  it('sees the request as the client sent it, not as the request steps left it', async () => {
    const moved = compiledTable(
      mappingDocument({
        endpoints: [
          endpoint('search', 'GET /search', 'POST /v2/search', {
            request: [{ move: { from: 'query.q', to: 'body.query' } }],
            response: [{ set: { path: 'body.q', value: '${request.query.q}' } }],
          }),
        ],
      }),
    );
    const { send } = fakeV2({ 'POST /v2/search': { body: {} } });
    expect((await run(moved, 'GET /search?q=tea', send)).response.body).toEqual({ q: 'tea' });
  });
});

describe('lint of request reads', () => {
  it('rejects a response-step condition that reads the request without request., with the fix', () => {
    const diagnostics = diagnosticsOf(mappingDocument({ endpoints: [endpoint('a', 'GET /a', 'GET /v2/a', { response: [{ header: { name: 'X-A', value: '1' }, when: { 'query.page': { exists: true } } }] })] }));
    expect(diagnostics.map((d) => [d.pointer, d.message])).toEqual([
      ['/endpoints/0/response/0/header', 'header: response steps see the v2 response (status, headers, body); "query.page" is part of the request: read the v1 request as "request.query.page" (read-only)'],
    ]);
  });
});

describe('route variants', () => {
  const table = compiledTable(
    mappingDocument({
      endpoints: [
        endpoint('override-delete', 'POST /items/{id}', 'DELETE /v2/items/{id}', { when: { 'request.headers.x-http-method-override': { eq: 'DELETE', caseInsensitive: true } } }),
        endpoint('override-patch', 'POST /items/{id}', 'PATCH /v2/items/{id}', { when: { 'headers.x-http-method-override': 'PATCH' } }),
        endpoint('action', 'POST /items/{id}', 'POST /v2/items/{id}/actions'),
      ],
    }),
  );

  it('are told apart by a condition on the v1 request, in table order, with a fallback', async () => {
    const { send, sent } = fakeV2({ 'DELETE /v2/items/7': { status: 204 }, 'PATCH /v2/items/7': { body: {} }, 'POST /v2/items/7/actions': { body: {} } });
    expect((await run(table, 'POST /items/7', send, { headers: { 'x-http-method-override': 'delete' } })).endpointId).toBe('override-delete');
    expect((await run(table, 'POST /items/7', send, { headers: { 'x-http-method-override': 'PATCH' } })).endpointId).toBe('override-patch');
    expect((await run(table, 'POST /items/7', send)).endpointId).toBe('action');
    expect(sent.map(({ request }) => `${request.method} ${request.path}`)).toEqual(['DELETE /v2/items/7', 'PATCH /v2/items/7', 'POST /v2/items/7/actions']);
  });

  it('lint reports variants that can never match', () => {
    const unreachable = diagnosticsOf(
      mappingDocument({
        endpoints: [
          endpoint('fallback', 'POST /items/{id}', 'POST /v2/items/{id}'),
          endpoint('late', 'POST /items/{id}', 'PATCH /v2/items/{id}', { when: { 'request.headers.x-http-method-override': 'PATCH' } }),
          endpoint('twin-a', 'GET /items', 'GET /v2/items', { when: { 'request.query.a': { exists: true } } }),
          endpoint('twin-b', 'GET /items', 'GET /v2/items', { when: { 'request.query.a': { exists: true } } }),
        ],
      }),
    );
    expect(unreachable.map((d) => [d.pointer, d.message.split(':')[0]])).toEqual([
      ['/endpoints/1/when', 'variant "late" can never be reached'],
      ['/endpoints/3/when', 'endpoint "twin-b" can never be reached'],
    ]);
  });
});

describe('error rules with conditions', () => {
  const table = compiledTable(
    mappingDocument({
      gatewayErrors: 'v1',
      endpoints: [endpoint('get', 'GET /items/{id}', 'GET /v2/items/{id}')],
      errors: [
        { when: { status: 404, 'request.method': 'DELETE' }, response: [{ status: { 404: 204 } }, { remove: 'body' }] },
        { when: { status: '>=400', 'body.code': { exists: false } }, response: [{ set: { path: 'body', value: { error: '${body.detail}', status: '${status}' } } }] },
        { when: { 'body.code': 'request-not-json' }, response: [{ set: { path: 'body', value: { error: 'Malformed JSON', status: 400 } } }, { set: { path: 'headers.content-type', value: 'application/json' } }] },
      ],
    }),
  );

  it('apply by status and by what the request and the response say', async () => {
    const { send } = fakeV2({});
    const missing = await run(table, 'GET /items/9', send);
    expect(missing.response.status).toBe(404);
    expect(missing.response.body).toEqual({ error: 'no fake for GET /v2/items/9', status: 404 });
  });

  it('render the gateway\'s own failures in the v1 shape when the mapping asks', () => {
    const request = snapshotRequest(emptyMessage({ method: 'POST', path: '/items' }), 'http://x/items', false);
    const message = gatewayErrorMessage(table, undefined, new CompatError('request-not-json', 'Unexpected token'), request);
    expect(message.status).toBe(400);
    expect(message.body).toEqual({ error: 'Malformed JSON', status: 400 });
    expect(message.headers['content-type']).toBe('application/json');
    const byDefault = compiledTable(mappingDocument({ endpoints: [endpoint('get', 'GET /items/{id}', 'GET /v2/items/{id}')], errors: table.errors.length ? [] : [] }));
    const problem = gatewayErrorMessage(byDefault, undefined, new CompatError('request-not-json', 'Unexpected token'), request);
    expect(problem.headers['content-type']).toBe('application/problem+json');
    expect(problem.body).toMatchObject({ code: 'request-not-json', status: 400 });
  });
});

describe('composed calls', () => {
  const table = compiledTable(
    mappingDocument({
      endpoints: [
        endpoint('list', 'GET /products', 'GET /v2/products', {
          calls: [
            {
              id: 'reviews',
              v2: 'GET /v2/reviews',
              when: { 'request.query.embed': { hasItem: 'reviews' } },
              query: { 'filter[product][in]': '${main.body.data[].id|join}' },
              join: { parents: 'body.data[]', children: 'body.data[]', on: { parent: 'id', child: 'product_id' }, as: 'reviews' },
            },
            {
              id: 'vendor',
              v2: 'GET /v2/vendors/{vendor}',
              when: { 'request.query.expand': 'vendor' },
              forEach: 'main.body.data[]',
              params: { vendor: '${item.vendor_id}' },
              concurrency: 2,
              max: 3,
              merge: [{ from: 'body', to: 'item.vendor' }],
            },
            { id: 'audit', v2: 'GET /v2/audit/{first}', after: ['reviews'], params: { first: '${reviews.body.data[].id|first}' }, optional: true, merge: [{ from: 'body.seen', to: 'body.seen' }] },
          ],
          response: [{ unwrap: 'body.data' }],
        }),
      ],
    }),
  );
  const v2 = () =>
    fakeV2({
      'GET /v2/products': { body: { data: products.slice(0, 3).map((p) => ({ ...p })) } },
      'GET /v2/reviews': (request) => ({ body: { data: [{ id: 'r1', product_id: '1' }, { id: 'r2', product_id: '3' }, { id: 'r3', product_id: '1' }].filter((r) => String(request.query['filter[product][in]']).split(',').includes(r.product_id)) } }),
      'GET /v2/vendors/10': { body: { id: 10, name: 'Hof' } },
      'GET /v2/vendors/11': { body: { id: 11, name: 'Markt' } },
      'GET /v2/audit/r1': { body: { seen: true } },
    });

  it('make no supporting call when no condition asks for one', async () => {
    const { send, sent } = v2();
    const { response } = await run(table, 'GET /products', send);
    expect(sent.map((s) => s.call)).toEqual(['main']);
    expect(response.body).toEqual(products.slice(0, 3));
  });

  it('batch one call for a whole list and join children to their parents by key', async () => {
    const { send, sent } = v2();
    const { response } = await run(table, 'GET /products?embed=reviews', send);
    expect(sent.find((s) => s.call === 'reviews')!.request.query).toEqual({ 'filter[product][in]': '1,2,3' });
    expect((response.body as Array<{ reviews: unknown[] }>).map((p) => p.reviews.map((r) => (r as { id: string }).id))).toEqual([['r1', 'r3'], [], ['r2']]);
    // The chained call waited for the batch and read its answer.
    expect(sent.map((s) => s.call)).toEqual(['main', 'reviews', 'audit']);
    expect((response.body as unknown as { seen?: boolean }).seen).toBeUndefined();
  });

  it('call once per item, bounded, and merge each answer into its item', async () => {
    const { send, sent } = v2();
    const { response } = await run(table, 'GET /products?expand=vendor', send);
    expect(sent.filter((s) => s.call === 'vendor').map((s) => s.request.path)).toEqual(['/v2/vendors/10', '/v2/vendors/11', '/v2/vendors/10']);
    expect((response.body as Array<{ vendor: { name: string } }>).map((p) => p.vendor.name)).toEqual(['Hof', 'Markt', 'Hof']);
  });

  it('fail with 502 too-many-calls beyond the call bound, before sending any', async () => {
    const { send, sent } = fakeV2({ 'GET /v2/products': { body: { data: products } }, 'GET /v2/vendors/10': { body: {} } });
    const error = await compatError(run(table, 'GET /products?expand=vendor', send));
    expect([error.code, error.status]).toEqual(['too-many-calls', 502]);
    expect(sent.map((s) => s.call)).toEqual(['main']);
  });

  it('lint rejects calls that wait on each other in a circle or on an unknown call', () => {
    const diagnostics = diagnosticsOf(
      mappingDocument({
        endpoints: [
          endpoint('x', 'GET /x', 'GET /v2/x', {
            calls: [
              { id: 'a', v2: 'GET /v2/a', after: ['b'], merge: [] },
              { id: 'b', v2: 'GET /v2/b', query: { q: '${a.body.id}' }, merge: [] },
              { id: 'c', v2: 'GET /v2/c', after: ['nope'], merge: [] },
              { id: 'request', v2: 'GET /v2/d', merge: [] },
            ],
          }),
        ],
      }),
    );
    expect(diagnostics.map((d) => d.pointer)).toEqual(['/endpoints/0/calls/3/id', '/endpoints/0/calls/2/after', '/endpoints/0/calls/0/after']);
    expect(diagnostics[2]!.message).toBe('calls wait on each other in a circle: a -> b -> a');
  });
});

describe('list operations re-implement v1 query features over one v2 list', () => {
  const table = compiledTable(
    mappingDocument({
      endpoints: [
        endpoint('list', 'GET /products', 'GET /v2/products', {
          unmappedQuery: 'reject',
          response: [
            { unwrap: 'body.data' },
            { filter: { where: { price: { gte: '${request.query.price_gte}', lt: '${request.query.price_lt}' }, '*': { contains: '${request.query.q}', caseInsensitive: true } } } },
            { sort: { by: '${request.query.sort}', keys: ['price', 'name', 'id'], default: 'id' } },
          ],
        }),
      ],
    }),
  );
  const send = fakeV2({ 'GET /v2/products': { body: { data: products } } }).send;
  const ids = async (line: string) => ((await run(table, line, send)).response.body as Array<{ id: number }>).map((p) => p.id);

  it('filter by operators and full text; a parameter not sent filters nothing', async () => {
    expect(await ids('GET /products')).toEqual([1, 2, 3, 4]);
    expect(await ids('GET /products?price_gte=5')).toEqual([1, 2, 4]);
    expect(await ids('GET /products?price_gte=5&price_lt=12')).toEqual([1]);
    expect(await ids('GET /products?q=NEN')).toEqual([2, 3, 4]);
    expect(await ids('GET /products?q=nothing')).toEqual([]);
  });

  it('sort by several keys, descending with -, by code point (so "Ä" after "Z" and "b" after "Z")', async () => {
    expect(await ids('GET /products?sort=name')).toEqual([4, 3, 2, 1]);
    expect(await ids('GET /products?sort=-price,name')).toEqual([4, 2, 1, 3]);
    expect(await ids('GET /products?sort=price&price_gte=5')).toEqual([1, 2, 4]);
  });

  it('reject a sort key clients may not use, and unknown parameters, as 400', async () => {
    const badKey = await compatError(run(table, 'GET /products?sort=vendor_id', send));
    expect([badKey.code, badKey.status, badKey.message]).toEqual(['invalid-query-value', 400, 'cannot sort by "vendor_id"; sort keys: price, name, id']);
    const unknown = await compatError(run(table, 'GET /products?colour=red', send));
    expect(unknown.code).toBe('unknown-query-parameter');
  });

  it('sort by locale collation when asked', async () => {
    const locale = compiledTable(mappingDocument({ endpoints: [endpoint('list', 'GET /products', 'GET /v2/products', { response: [{ unwrap: 'body.data' }, { sort: { by: 'name', collation: 'locale', locale: 'de' } }] })] }));
    expect(((await run(locale, 'GET /products', send)).response.body as Array<{ id: number }>).map((p) => p.id)).toEqual([1, 4, 2, 3]);
  });

  it('lint names a bad list op argument at its line', () => {
    const diagnostics = diagnosticsOf(mappingDocument({ endpoints: [endpoint('l', 'GET /l', 'GET /v2/l', { response: [{ filter: { where: { price: { over: 3 } } } }, { sort: { by: 'a', collation: 'alphabetic' } }] })] }));
    expect(diagnostics.map((d) => d.pointer)).toEqual(['/endpoints/0/response/0/filter', '/endpoints/0/response/1/sort']);
    expect(diagnostics[0]!.message).toContain('unknown operator "over"');
  });
});

describe('paging conversion', () => {
  const paging = {
    v1: { offset: 'offset', limit: 'limit', page: 'page', size: 'per_page' },
    size: { default: 2, max: 3 },
    v2: { page: 'page[number]', size: 'page[size]' },
    items: 'body.data',
    total: 'body.meta.total',
    link: { rels: ['first', 'prev', 'next', 'last'] },
    totalHeader: 'X-Total-Count',
  };
  const table = compiledTable(mappingDocument({ endpoints: [endpoint('list', 'GET /products', 'GET /v2/products', { unmappedQuery: 'reject', paging, response: [{ unwrap: 'body.data' }] })] }));
  const all = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
  const v2 = fakeV2({
    'GET /v2/products': (request) => {
      const size = Number(request.query['page[size]']);
      const page = Number(request.query['page[number]']);
      return { body: { data: all.slice((page - 1) * size, page * size), meta: { total: all.length } } };
    },
  });
  const page = async (line: string) => {
    const { response } = await run(table, line, v2.send);
    return { ids: (response.body as Array<{ id: number }>).map((item) => item.id), total: response.headers['x-total-count'], link: response.headers.link };
  };

  it('turns offset and limit into the v2 page that holds the window, and cuts it', async () => {
    expect(await page('GET /products?offset=2&limit=2')).toMatchObject({ ids: [3, 4], total: '7' });
    expect(v2.sent.at(-1)!.request.query).toEqual({ 'page[number]': '2', 'page[size]': '2' });
    expect((await page('GET /products?offset=1&limit=2')).ids).toEqual([2, 3]);
    expect((await page('GET /products?offset=5&limit=3')).ids).toEqual([6, 7]);
  });

  it('writes Link with only the paging parameters changed, in the client\'s order', async () => {
    const { link } = await page('GET /products?offset=2&limit=2');
    expect(link).toBe(
      '<https://api.test/products?offset=0&limit=2>; rel="first", <https://api.test/products?offset=0&limit=2>; rel="prev", <https://api.test/products?offset=4&limit=2>; rel="next", <https://api.test/products?offset=6&limit=2>; rel="last"',
    );
  });

  it('pages by number and size in the style the client used', async () => {
    const { ids, link } = await page('GET /products?page=4&per_page=2');
    expect(ids).toEqual([7]);
    expect(link).toBe('<https://api.test/products?page=1&per_page=2>; rel="first", <https://api.test/products?page=3&per_page=2>; rel="prev", <https://api.test/products?page=4&per_page=2>; rel="last"');
  });

  it('handles the edges: beyond the last page, a size that covers everything, defaults and the maximum', async () => {
    expect(await page('GET /products?page=9&per_page=2')).toMatchObject({ ids: [], total: '7' });
    expect((await page('GET /products?per_page=3&page=1')).ids).toEqual([1, 2, 3]);
    expect((await page('GET /products?limit=100')).ids).toEqual([1, 2, 3]);
    expect((await page('GET /products')).ids).toEqual([1, 2]);
    const bad = await compatError(run(table, 'GET /products?offset=-1', v2.send));
    expect([bad.code, bad.status]).toEqual(['invalid-query-value', 400]);
  });

  it('answers an empty list with one page of links', async () => {
    const empty = fakeV2({ 'GET /v2/products': { body: { data: [], meta: { total: 0 } } } });
    const { response } = await run(table, 'GET /products', empty.send);
    expect(response.body).toEqual([]);
    expect(response.headers['x-total-count']).toBe('0');
    expect(response.headers.link).toBe('<https://api.test/products?offset=0&limit=2>; rel="first", <https://api.test/products?offset=0&limit=2>; rel="last"');
  });

  it('windows a list the gateway fetched whole and filtered itself (fetchAll)', async () => {
    const fetched = compiledTable(
      mappingDocument({
        endpoints: [
          endpoint('list', 'GET /products', 'GET /v2/products', {
            paging: { ...paging, v2: { size: 'page[size]', page: 'page[number]', fetchAll: 1000 } },
            response: [{ filter: { at: 'body.data', where: { id: { gte: '${request.query.min}' } } } }, { paginate: {} }, { unwrap: 'body.data' }],
          }),
        ],
      }),
    );
    const whole = fakeV2({ 'GET /v2/products': { body: { data: all, meta: { total: 7 } } } });
    const { response } = await run(fetched, 'GET /products?min=3&offset=2&limit=2', whole.send);
    // `min` is the gateway's own filter: v2 never sees it.
    expect(whole.sent[0]!.request.query).toEqual({ 'page[number]': '1', 'page[size]': '1000' });
    expect(response.body).toEqual([{ id: 5 }, { id: 6 }]);
    expect(response.headers['x-total-count']).toBe('5');
    // Parameters that are not about paging stay as the client sent them, in place.
    expect(response.headers.link).toContain('<https://api.test/products?min=3&offset=4&limit=2>; rel="next"');
  });

  it('refuses a fetchAll page that did not hold everything, even once a filter shortened it', async () => {
    const fetched = compiledTable(
      mappingDocument({
        endpoints: [
          endpoint('list', 'GET /products', 'GET /v2/products', {
            paging: { ...paging, v2: { size: 'page[size]', page: 'page[number]', fetchAll: 5 } },
            response: [{ filter: { at: 'body.data', where: { id: { gte: '${request.query.min}' } } } }, { paginate: {} }, { unwrap: 'body.data' }],
          }),
        ],
      }),
    );
    // v2 holds 7 and sends the 5 asked for; the filter leaves 3, fewer than fetchAll.
    const partial = fakeV2({ 'GET /v2/products': { body: { data: all.slice(0, 5), meta: { total: 7 } } } });
    const error = await compatError(run(fetched, 'GET /products?min=3', partial.send));
    expect([error.code, error.status]).toEqual(['response-not-translatable', 502]);
    expect(error.message).toContain('raise fetchAll');
  });
});

describe('fn steps see the exchange', () => {
  it('get the v1 request and the v2 request beside the message', async () => {
    const seen: unknown[] = [];
    const table = compiledTable(mappingDocument({ endpoints: [endpoint('x', 'GET /x', 'GET /v2/x', { request: [{ move: { from: 'query.a', to: 'query.b' } }], response: [{ fn: './t.ts#look' }] })] }), (reference) =>
      reference === './t.ts#look'
        ? (((message: unknown, context: { request: { query: unknown }; v2Request?: { query: unknown }; endpoint: string }) => {
            seen.push([context.endpoint, context.request.query, context.v2Request?.query]);
            return message;
          }) as never)
        : undefined,
    );
    await run(table, 'GET /x?a=1', fakeV2({ 'GET /v2/x': { body: {} } }).send);
    expect(seen).toEqual([['x', { a: '1' }, { b: '1' }]]);
    expect(Object.isFrozen((newContext('x', snapshotRequest(emptyMessage(), '', false)).request))).toBe(true);
  });
});
