import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/core/mapping/compile.js';
import { statusRange } from '../../src/core/transform/status-range.js';
import type { EndpointDocument, MappingDocument } from '../../src/core/model/mapping.js';
import { compiledTable, diagnosticsOf, endpoint, mappingDocument } from './mapping-builders.js';

const withEndpoints = (...endpoints: EndpointDocument[]): MappingDocument => mappingDocument({ endpoints });

/** The one diagnostic a document produces, as "pointer: message". */
function onlyDiagnostic(document: MappingDocument): string {
  const diagnostics = diagnosticsOf(document);
  expect(diagnostics, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  expect(diagnostics[0]!.severity).toBe('error');
  return `${diagnostics[0]!.pointer}: ${diagnostics[0]!.message}`;
}

const validDocument: MappingDocument = mappingDocument({
  lifecycle: { deprecation: '2026-06-01', sunset: '2027-03-01', guide: 'https://example.test/migrate' },
  defaults: { unmappedQuery: 'drop' },
  resources: {
    Item: [
      { coerce: { field: 'id', v1: 'integer', v2: 'string' }, description: 'Ids are strings in v2.' },
      { rename: { v1: 'name', v2: 'title' } },
    ],
  },
  endpoints: [
    endpoint('search-items', 'GET /items/search', 'POST /v2/items/search', {
      request: [{ move: { from: 'query.q', to: 'body.query' } }],
      response: [{ unwrap: 'body.data' }, { resource: { at: 'body[]', is: 'Item' } }],
    }),
    endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}', {
      unmappedQuery: 'reject',
      calls: [
        { id: 'owner', v2: 'GET /v2/users/{owner_id}', params: { owner_id: '${main.body.owner}' }, merge: [{ from: 'body.name', to: 'body.owner_name' }] },
        { id: 'stats', v2: 'GET /v2/items/{id}/stats', optional: true, merge: [{ from: 'body.views', to: 'body.views', as: 'integer' }] },
      ],
      response: [{ resource: { at: 'body', is: 'Item' } }],
      errors: [{ when: { status: 404 }, response: [{ set: { path: 'body', value: { error: 'not found' } } }] }],
    }),
    endpoint('archive-item', 'POST /items/{id}/archive', undefined, { removed: { replacement: 'PATCH /v2/items/{id}' } }),
  ],
  errors: [{ when: { status: '>=400' }, response: [{ set: { path: 'body.error.code', value: '${body.type|last-segment|snake}' } }] }],
});

describe('a valid mapping', () => {
  it('compiles with zero diagnostics into a table', () => {
    const result = compileMapping(validDocument);
    expect(result.diagnostics).toEqual([]);
    expect(result.table?.endpoints.map((compiled) => compiled.id)).toEqual(['search-items', 'get-item', 'archive-item']);
    expect([...result.table!.resources.keys()]).toEqual(['Item']);
  });

  it('keeps where each step came from and the author\'s description', () => {
    const table = compiledTable(validDocument);
    const rule = table.resources.get('Item')!.rules[0]!;
    expect(rule).toMatchObject({ op: 'coerce', pointer: '/resources/Item/0', note: 'Ids are strings in v2.' });
    expect(table.endpoints[0]!.response[1]!.pointer).toBe('/endpoints/0/response/1');
  });

  it('records which query keys are mapped and the unmapped-query policy, endpoint first then defaults', () => {
    const [search, item] = compiledTable(validDocument).endpoints;
    expect([...search!.mappedQuery]).toEqual(['q']);
    expect(search!.unmappedQuery).toBe('drop');
    expect(item!.unmappedQuery).toBe('reject');
  });

  it('knows which endpoints need the bodies read and which may stream', () => {
    const [search, item, archive] = compiledTable(validDocument).endpoints;
    expect(search).toMatchObject({ readsRequestBody: true, readsResponseBody: true });
    expect(item).toMatchObject({ readsRequestBody: false, readsResponseBody: true });
    expect(archive).toMatchObject({ readsRequestBody: false, readsResponseBody: false });
  });

  it('orders supporting calls: a call reading main.… waits for the main response', () => {
    const calls = compiledTable(validDocument).endpoints[1]!.calls;
    expect(calls.map((call) => [call.id, call.afterMain, call.optional])).toEqual([
      ['owner', true, false],
      ['stats', false, true],
    ]);
  });

  it('fills in the removed endpoint\'s status and message', () => {
    expect(compiledTable(validDocument).endpoints[2]!.removed).toEqual({
      status: 410,
      replacement: 'PATCH /v2/items/{id}',
      message: 'POST /items/{id}/archive was removed; use PATCH /v2/items/{id} instead.',
    });
  });

  it('parses the lifecycle dates', () => {
    expect(compiledTable(validDocument).lifecycle).toEqual({
      deprecation: new Date('2026-06-01'),
      sunset: new Date('2027-03-01'),
      guide: 'https://example.test/migrate',
    });
  });

  it('accepts a static route above a parameter route that would otherwise catch it', () => {
    expect(diagnosticsOf(withEndpoints(endpoint('search', 'GET /items/search', 'GET /v2/search'), endpoint('get', 'GET /items/{id}', 'GET /v2/items/{id}')))).toEqual([]);
  });
});

describe('routes', () => {
  it('rejects a v1 route mapped twice, at the later one', () => {
    const document = withEndpoints(endpoint('first', 'GET /items', 'GET /v2/items'), endpoint('second', 'get /items', 'GET /v2/things'));
    expect(onlyDiagnostic(document)).toBe('/endpoints/1/v1: GET /items is already mapped by endpoint "first"; each v1 route is mapped once, or several times as variants with "when:" conditions');
  });

  it('treats routes that differ only in parameter names as the same route', () => {
    const document = withEndpoints(endpoint('by-id', 'GET /items/{id}', 'GET /v2/items/{id}'), endpoint('by-key', 'GET /items/{key}', 'GET /v2/items/{key}'));
    expect(onlyDiagnostic(document)).toMatch(/^\/endpoints\/1\/v1: GET \/items\/\{key\} is already mapped by endpoint "by-id"/);
  });

  it('rejects a static route shadowed by a parameter route above it, saying how to fix the order', () => {
    const document = withEndpoints(endpoint('get', 'GET /items/{id}', 'GET /v2/items/{id}'), endpoint('search', 'GET /items/search', 'GET /v2/search'));
    expect(onlyDiagnostic(document)).toBe(
      '/endpoints/1/v1: endpoint "search" can never be reached: "get" (GET /items/{id}) above it matches every request it would; move "search" above "get"',
    );
  });

  it('allows the same path with different methods', () => {
    expect(diagnosticsOf(withEndpoints(endpoint('list', 'GET /items', 'GET /v2/items'), endpoint('create', 'POST /items', 'POST /v2/items')))).toEqual([]);
  });

  it('rejects duplicate endpoint ids', () => {
    const document = withEndpoints(endpoint('items', 'GET /items', 'GET /v2/items'), endpoint('items', 'POST /items', 'POST /v2/items'));
    expect(onlyDiagnostic(document)).toBe('/endpoints/1/id: endpoint id "items" is already used by endpoint 0; ids must be unique');
  });

  it('rejects malformed routes at the route', () => {
    expect(onlyDiagnostic(withEndpoints(endpoint('bad', 'FETCH /items', 'GET /v2/items')))).toBe('/endpoints/0/v1: "FETCH" is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(onlyDiagnostic(withEndpoints(endpoint('bad', 'GET /items', 'GET /v2/items?all=1')))).toMatch(/^\/endpoints\/0\/v2: .*a route is a path only/);
  });

  it('needs exactly one of a v2 route and removed', () => {
    expect(onlyDiagnostic(withEndpoints(endpoint('neither', 'GET /items', undefined)))).toBe(
      '/endpoints/0: endpoint "neither" needs either "v2: METHOD /path" or "removed: { replacement: ... }"',
    );
    expect(onlyDiagnostic(withEndpoints(endpoint('both', 'GET /items', 'GET /v2/items', { removed: {} })))).toBe(
      '/endpoints/0: endpoint "both" has both v2 and removed; a removed endpoint has no v2 route',
    );
  });
});

describe('path parameters', () => {
  it('rejects a v2 path parameter that nothing provides', () => {
    expect(onlyDiagnostic(withEndpoints(endpoint('get', 'GET /tasks/{id}', 'GET /v2/tasks/{task_id}')))).toBe(
      '/endpoints/0/v2: the v2 path uses {task_id} but nothing provides it: the v1 path has no {task_id} (or a request step moved it away) and no request step writes params.task_id',
    );
  });

  it('accepts a v2 path parameter that a request step writes', () => {
    const document = withEndpoints(
      endpoint('get', 'GET /tasks', 'GET /v2/tasks/{task_id}', { request: [{ move: { from: 'query.id', to: 'params.task_id' } }] }),
    );
    expect(diagnosticsOf(document)).toEqual([]);
  });

  it('rejects a supporting call whose path parameter neither the v1 path nor its params provide', () => {
    const document = withEndpoints(
      endpoint('get', 'GET /items/{id}', 'GET /v2/items/{id}', { calls: [{ id: 'owner', v2: 'GET /v2/users/{user_id}', merge: [] }] }),
    );
    expect(onlyDiagnostic(document)).toBe(
      '/endpoints/0/calls/0/v2: call "owner" uses {user_id} but neither the v1 path nor its params provide it; add params: { user_id: "${main.body.…}" }',
    );
  });

  it('rejects a call named "main" or named twice', () => {
    const call = { id: 'main', v2: 'GET /v2/x', merge: [] };
    const document = withEndpoints(endpoint('get', 'GET /items', 'GET /v2/items', { calls: [call, { ...call, id: 'extra' }, { ...call, id: 'extra' }] }));
    expect(diagnosticsOf(document).map((d) => d.pointer)).toEqual(['/endpoints/0/calls/0/id', '/endpoints/0/calls/2/id']);
  });

  it('rejects a merge whose two paths have different numbers of []', () => {
    const document = withEndpoints(
      endpoint('get', 'GET /items', 'GET /v2/items', { calls: [{ id: 'extra', v2: 'GET /v2/x', merge: [{ from: 'body.data[].id', to: 'body.ids' }] }] }),
    );
    expect(onlyDiagnostic(document)).toBe('/endpoints/0/calls/0/merge/0: invalid path "body.ids": needs as many [] as "body.data[].id"');
  });
});

describe('steps and resource rules', () => {
  it('rejects an unknown op and suggests the closest one', () => {
    const document = withEndpoints(endpoint('list', 'GET /items', 'GET /v2/items', { request: [{ mvoe: { from: 'query.a', to: 'query.b' } }] }));
    const message = onlyDiagnostic(document);
    expect(message).toMatch(/^\/endpoints\/0\/request\/0\/mvoe: unknown op "mvoe"; did you mean "move"\?/);
    expect(message).toContain('Ops: rename, move, copy');
  });

  it('gives no suggestion for a name close to no op', () => {
    const document = withEndpoints(endpoint('list', 'GET /items', 'GET /v2/items', { response: [{ frobnicate: 1 }] }));
    expect(onlyDiagnostic(document)).not.toContain('did you mean');
  });

  it('rejects a step naming no op or two ops', () => {
    const document = withEndpoints(
      endpoint('list', 'GET /items', 'GET /v2/items', { response: [{ description: 'nothing' }, { move: { from: 'body.a', to: 'body.b' }, remove: 'body.c' }] }),
    );
    expect(diagnosticsOf(document).map((d) => `${d.pointer}: ${d.message.split(';')[0]}`)).toEqual([
      '/endpoints/0/response/0: a step names exactly one op, found none',
      '/endpoints/0/response/1: a step names exactly one op, found "move", "remove"',
    ]);
  });

  it('rejects a one-directional op among resource rules', () => {
    const document = mappingDocument({ resources: { Item: [{ set: { path: 'kind', value: 'item' } }] } });
    expect(onlyDiagnostic(document)).toBe(
      '/resources/Item/0/set: "set" is not a resource rule (resource rules must run both ways); use it in an endpoint\'s request or response steps',
    );
  });

  it('rejects resource rules that cannot be reversed', () => {
    const document = mappingDocument({
      resources: {
        Task: [
          { scale: { field: 'priority', v1: [1, 10], v2: [1, 5] } },
          { enum: { field: 'status', map: { running: 'ACTIVE', pending: 'ACTIVE' } } },
        ],
      },
    });
    expect(diagnosticsOf(document).map((d) => `${d.pointer}: ${d.message}`)).toEqual([
      '/resources/Task/0/scale: scale: scaling priority from [1,10] to [1,5] and back does not return every v1 integer; widen the v2 range or set round: false',
      '/resources/Task/1/enum: enum: "ACTIVE" is the v2 value of both "running" and "pending"; the map must be one-to-one so responses can be mapped back',
    ]);
  });

  it('reads resource rules with field paths and steps with message paths', () => {
    expect(diagnosticsOf(mappingDocument({ resources: { Item: [{ rename: { v1: 'body.a', v2: 'body.b' } }] } }))).toEqual([]);
    const document = withEndpoints(endpoint('list', 'GET /items', 'GET /v2/items', { response: [{ rename: { from: 'title', to: 'name' } }] }));
    expect(onlyDiagnostic(document)).toMatch(/^\/endpoints\/0\/response\/0\/rename: rename: invalid path "title": a message path starts with one of/);
  });

  it('turns op argument, path and template errors into diagnostics at the op', () => {
    const document = withEndpoints(
      endpoint('list', 'GET /items', 'GET /v2/items', {
        response: [
          { move: { from: 'body.hits[].item', to: 'body.results' } },
          { set: { path: 'body.code', value: '${body.type|kebab}' } },
          { resource: { at: 'body', is: 'Nope' } },
        ],
      }),
    );
    expect(diagnosticsOf(document).map((d) => d.pointer)).toEqual(['/endpoints/0/response/0/move', '/endpoints/0/response/1/set', '/endpoints/0/response/2/resource']);
    expect(diagnosticsOf(document).map((d) => d.message.split(':')[0])).toEqual(['move', 'set', 'resource']);
  });
});

describe('error rules', () => {
  it('rejects a status condition it cannot read, at the condition', () => {
    const document = mappingDocument({ errors: [{ when: { status: 'server errors' }, response: [] }] });
    expect(onlyDiagnostic(document)).toBe('/errors/0/when/status: "server errors" is not a status condition; write 404, ">=400", "4xx" or "500-599"');
    const perEndpoint = withEndpoints(endpoint('list', 'GET /items', 'GET /v2/items', { errors: [{ when: { status: '4XX-ish' }, response: [] }] }));
    expect(onlyDiagnostic(perEndpoint)).toMatch(/^\/endpoints\/0\/errors\/0\/when\/status: "4XX-ish" is not a status condition/);
  });

  it.each([
    [404, [404], [403, 405]],
    ['4xx', [400, 404, 499], [399, 500]],
    ['>=400', [400, 599], [399]],
    ['> 499', [500], [499]],
    ['<500', [499], [500]],
    ['<=399', [399], [400]],
    ['500-504', [500, 504], [499, 505]],
  ])('reads %j as a status condition', (condition, matching, other) => {
    const matches = statusRange(String(condition))!;
    for (const status of matching) expect(matches(status), String(status)).toBe(true);
    for (const status of other) expect(matches(status), String(status)).toBe(false);
  });

  it('compiles error steps as v2 → v1 steps', () => {
    const table = compiledTable(mappingDocument({ errors: [{ when: { status: 422 }, response: [{ status: { 422: 400 } }] }] }));
    expect(table.errors[0]!.steps[0]!.apply({ status: 422 })).toEqual({ status: 400 });
  });
});

describe('lifecycle', () => {
  it('rejects a sunset before the deprecation', () => {
    expect(onlyDiagnostic(mappingDocument({ lifecycle: { deprecation: '2027-01-01', sunset: '2026-01-01' } }))).toBe(
      '/lifecycle/sunset: sunset is earlier than deprecation; RFC 8594 expects the sunset on or after the deprecation date',
    );
  });

  it('rejects a date it cannot read', () => {
    expect(onlyDiagnostic(mappingDocument({ lifecycle: { deprecation: 'next spring' } }))).toBe(
      '/lifecycle/deprecation: "next spring" is not a date; write 2026-06-01 or 2026-06-01T00:00:00Z',
    );
  });

  it('accepts a sunset on the deprecation day', () => {
    expect(diagnosticsOf(mappingDocument({ lifecycle: { deprecation: '2026-06-01', sunset: '2026-06-01' } }))).toEqual([]);
  });
});

describe('reporting', () => {
  it('reports every problem of a mapping at once and returns no table', () => {
    const result = compileMapping(
      mappingDocument({
        lifecycle: { deprecation: '2027-01-01', sunset: '2026-01-01' },
        resources: { Item: [{ remove: 'secret' }] },
        endpoints: [endpoint('get', 'GET /items/{id}', 'GET /v2/items/{item}')],
      }),
    );
    expect(result.table).toBeUndefined();
    expect(result.diagnostics.map((d) => d.pointer)).toEqual(['/resources/Item/0/remove', '/endpoints/0/v2', '/lifecycle/sunset']);
  });
});

describe('steps that could never work', () => {
  it('rejects a v2 path parameter that a request step moved into the body', () => {
    const document = withEndpoints(endpoint('put-item', 'PUT /items/{id}', 'PUT /v2/items/{id}', { request: [{ move: { from: 'params.id', to: 'body.id' } }] }));
    expect(onlyDiagnostic(document)).toMatch(/^\/endpoints\/0\/v2: the v2 path uses \{id\} but nothing provides it/);
  });

  it('accepts a parameter moved away and written back under the v2 name', () => {
    const document = withEndpoints(endpoint('put-item', 'PUT /items/{id}', 'PUT /v2/items/{item_id}', { request: [{ rename: { from: 'params.id', to: 'params.item_id' } }] }));
    expect(diagnosticsOf(document)).toEqual([]);
  });

  it.each([
    ['a path parameter', 'params.id'],
    ['a query parameter', 'query.page'],
  ])('rejects a response template that reads %s, which a response does not have', (_name, path) => {
    const document = withEndpoints(endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}', { response: [{ header: { name: 'Location', value: `/items/\${${path}}` } }] }));
    expect(onlyDiagnostic(document)).toContain(`"${path}" is part of the request`);
  });
});

describe('what the compiler learns from templates', () => {
  it('treats a body field read only by a header template as a body read, so the endpoint is not streamed', () => {
    const table = compiledTable(withEndpoints(endpoint('create', 'POST /items', 'POST /v2/items', { response: [{ header: { name: 'Location', value: '/items/${body.id}' } }] })));
    expect(table.endpoints[0]!.readsResponseBody).toBe(true);
  });

  it('does not stream an endpoint whose answer bytes render: decides (ETag, Content-Type, spacing)', () => {
    const streamed = (render: unknown, mappingRender?: unknown) =>
      !compiledTable({ ...withEndpoints(endpoint('get', 'GET /items/{id}', 'GET /v2/items/{id}', render === undefined ? {} : { render })), ...(mappingRender === undefined ? {} : { render: mappingRender }) } as never).endpoints[0]!.readsResponseBody;
    expect(streamed(undefined)).toBe(true);
    expect(streamed({ json: 'compact' })).toBe(true);
    expect(streamed({ etag: 'strong' })).toBe(false);
    expect(streamed({ json: 'pretty' })).toBe(false);
    expect(streamed(undefined, { contentType: 'application/json; charset=utf-8' })).toBe(false);
    expect(streamed({ etag: 'none' }, { etag: 'weak' })).toBe(true);
  });

  it('counts a query parameter read only by a template as mapped, so unmappedQuery: reject accepts it', () => {
    const table = compiledTable(
      withEndpoints(endpoint('search', 'GET /search', 'POST /v2/search', { unmappedQuery: 'reject', request: [{ set: { path: 'body', value: { query: '${query.q}' } } }] })),
    );
    expect([...table.endpoints[0]!.mappedQuery]).toEqual(['q']);
  });
});
