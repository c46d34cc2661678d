import { describe, expect, it } from 'vitest';
import { CompatError } from '../../src/core/errors.js';
import type { CompiledTable } from '../../src/core/mapping/compiled.js';
import type { EndpointDocument } from '../../src/core/model/mapping.js';
import type { HttpMessage } from '../../src/core/model/http-message.js';
import type { TraceEntry } from '../../src/core/pipeline/trace.js';
import { compatError, fakeV2, run, type Reply } from './exchange-harness.js';
import { compiledTable, endpoint, mappingDocument } from './mapping-builders.js';

/*
 * exchange() is pure apart from its `send` port, so the v2 side here is a fake `send`
 * (exchange-harness.ts): it records what was sent and answers from canned replies.
 */

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const ticks = async (count = 5) => {
  for (let i = 0; i < count; i++) await Promise.resolve();
};

const itemEndpoint = (calls: EndpointDocument['calls'], parts: Partial<EndpointDocument> = {}): CompiledTable =>
  compiledTable(mappingDocument({ endpoints: [endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}', { calls, ...parts })] }));

const relatedCall = { id: 'related', v2: 'GET /v2/items/{id}/related', merge: [{ from: 'body.data[].id', to: 'body.related_ids[]' }] };
const ownerCall = {
  id: 'owner',
  v2: 'GET /v2/users/{owner_id}',
  params: { owner_id: '${main.body.owner_id}' },
  merge: [{ from: 'body.name', to: 'body.owner_name' }],
};

describe('multi-call endpoints', () => {
  const table = itemEndpoint([relatedCall, ownerCall], { response: [{ remove: 'body.owner_id' }] });
  const replies = {
    'GET /v2/items/7': { body: { id: '7', title: 'T', owner_id: 'u-1' } },
    'GET /v2/items/7/related': { body: { data: [{ id: 8 }, { id: 9 }] } },
    'GET /v2/users/u-1': { body: { name: 'Ada' } },
  };

  it('merges every supporting call into the main response, then runs the response steps', async () => {
    const { send } = fakeV2(replies);
    const { response } = await run(table, 'GET /items/7', send);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: '7', title: 'T', related_ids: [8, 9], owner_name: 'Ada' });
  });

  it('lists every v2 request it built, main first', async () => {
    const { send } = fakeV2(replies);
    const { upstreamRequests } = await run(table, 'GET /items/7', send);
    expect(upstreamRequests.map(({ call, request }) => `${call}: ${request.method} ${request.path}`)).toEqual([
      'main: GET /v2/items/7',
      'related: GET /v2/items/7/related',
      'owner: GET /v2/users/u-1',
    ]);
  });

  it('sends independent calls alongside main, and a call reading main.body only after main answered', async () => {
    const main = deferred<Partial<HttpMessage>>();
    const { send, sent } = fakeV2({ ...replies, 'GET /v2/items/7': () => main.promise });
    const pending = run(table, 'GET /items/7', send);
    await ticks();
    expect(sent.map((entry) => entry.call)).toEqual(['main', 'related']);
    main.resolve(replies['GET /v2/items/7']);
    await pending;
    expect(sent.map((entry) => entry.call)).toEqual(['main', 'related', 'owner']);
    expect(sent[2]!.request.params).toEqual({ id: '7', owner_id: 'u-1' });
  });

  it('gives supporting calls the client\'s headers but not its body headers, and JSON headers for a call body', async () => {
    const withBody = itemEndpoint([{ id: 'audit', v2: 'POST /v2/audit', body: { item: '${params.id}' }, merge: [] }]);
    const { send, sent } = fakeV2({ 'GET /v2/items/7': { body: {} }, 'POST /v2/audit': { status: 201 } });
    await run(withBody, 'GET /items/7', send, { headers: { 'x-tenant-id': 't-7', authorization: 'Bearer t', 'content-type': 'text/plain', 'content-length': '3' } });
    expect(sent[1]!.request).toMatchObject({ method: 'POST', path: '/v2/audit', body: { item: '7' }, headers: { 'x-tenant-id': 't-7', 'content-type': 'application/json' } });
    expect(sent[1]!.request.headers['content-length']).toBeUndefined();
    // Credentials go to no v2 call unless the mapping's upstreamHeaders allows them.
    expect(sent.map((entry) => entry.request.headers.authorization)).toEqual([undefined, undefined]);
  });

  it('fails with upstream-call-failed when a supporting call does not answer 2xx', async () => {
    const { send } = fakeV2({ ...replies, 'GET /v2/items/7/related': { status: 503, body: {} } });
    const error = await compatError(run(table, 'GET /items/7', send));
    expect(error.code).toBe('upstream-call-failed');
    expect(error.status).toBe(502);
    expect(error.message).toBe('supporting call "related" (GET /v2/items/7/related) answered 503');
    expect(error.extensions).toEqual({ endpoint: 'get-item', call: 'related', upstreamStatus: 503 });
  });

  it('skips an optional supporting call that fails, and merges the others', async () => {
    const optional = itemEndpoint([{ ...relatedCall, optional: true }, ownerCall]);
    const { send } = fakeV2({ ...replies, 'GET /v2/items/7/related': { status: 500, body: {} } });
    const { response } = await run(optional, 'GET /items/7', send);
    expect(response.body).toEqual({ id: '7', title: 'T', owner_id: 'u-1', owner_name: 'Ada' });
  });

  it('skips an optional supporting call that cannot be reached or answers invalid data', async () => {
    const optional = itemEndpoint([{ ...relatedCall, optional: true }, ownerCall]);
    const unreachable: Reply = () => Promise.reject(new CompatError('upstream-unreachable', 'connection refused'));
    for (const reply of [unreachable, { body: { data: 'not a list' } }]) {
      const { send } = fakeV2({ ...replies, 'GET /v2/items/7/related': reply });
      const { response } = await run(optional, 'GET /items/7', send);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: '7', owner_name: 'Ada' });
    }
  });

  it("answers with main's own error even when a parallel supporting call could not be reached", async () => {
    const { send } = fakeV2({ 'GET /v2/items/7/related': () => Promise.reject(new CompatError('upstream-unreachable', 'connection refused')) });
    const { response } = await run(table, 'GET /items/7', send);
    expect(response.status).toBe(404);
  });

  it('answers with the translated main error when main is not 2xx, without the calls that wait for main', async () => {
    const { send, sent } = fakeV2({ 'GET /v2/items/7/related': { status: 500, body: {} } });
    const { response } = await run(table, 'GET /items/7', send);
    expect(response.status).toBe(404);
    expect(sent.map((entry) => entry.call)).toEqual(['main', 'related']);
  });

  it('refuses a v2 value that would take a supporting call out of its route', async () => {
    const { send, sent } = fakeV2({ ...replies, 'GET /v2/items/7': { body: { id: '7', owner_id: '../admin' } } });
    const error = await compatError(run(table, 'GET /items/7', send));
    // v2's answer is at fault, not the client's request.
    expect(error.code).toBe('response-not-translatable');
    expect(error.status).toBe(502);
    expect(sent.map((entry) => entry.call)).toEqual(['main', 'related']);
  });
});

describe('unmapped query parameters', () => {
  const search = (policy: 'pass' | 'drop' | 'reject') =>
    compiledTable(
      mappingDocument({
        endpoints: [endpoint('search', 'GET /search', 'GET /v2/search', { unmappedQuery: policy, request: [{ move: { from: 'query.q', to: 'query.text' } }] })],
      }),
    );
  const replies = { 'GET /v2/search': { body: [] } };

  it('pass: forwards parameters no step reads, as they are', async () => {
    const { send, sent } = fakeV2(replies);
    await run(search('pass'), 'GET /search?q=cats&debug=1', send);
    expect(sent[0]!.request.query).toEqual({ text: 'cats', debug: '1' });
  });

  it('drop: removes parameters no step reads and keeps the mapped ones', async () => {
    const { send, sent } = fakeV2(replies);
    await run(search('drop'), 'GET /search?q=cats&debug=1', send);
    expect(sent[0]!.request.query).toEqual({ text: 'cats' });
  });

  it('reject: answers unknown-query-parameter naming the parameter and the supported ones, before calling v2', async () => {
    const { send, sent } = fakeV2(replies);
    const error = await compatError(run(search('reject'), 'GET /search?q=cats&debug=1', send));
    expect(error.code).toBe('unknown-query-parameter');
    expect(error.status).toBe(400);
    expect(error.message).toBe('query parameter "debug" is not supported by GET /search; supported: q');
    expect(error.extensions).toEqual({ parameter: 'debug' });
    expect(sent).toEqual([]);
  });

  it('reject: lets a request with only mapped parameters through', async () => {
    const { send, sent } = fakeV2(replies);
    await run(search('reject'), 'GET /search?q=cats', send);
    expect(sent[0]!.request.query).toEqual({ text: 'cats' });
  });
});

describe('path parameters', () => {
  const table = itemEndpoint(undefined);

  it.each([
    ['a b', '/v2/items/a%20b'],
    ['a?b#c', '/v2/items/a%3Fb%23c'],
    ['é', '/v2/items/%C3%A9'],
    ['...', '/v2/items/...'],
  ])('percent-encodes %j as one segment', async (id, path) => {
    const { send, sent } = fakeV2({});
    await run(table, 'GET /items/x', send, { params: { id } });
    expect(sent[0]!.request.path).toBe(path);
  });

  it.each([['..'], ['.'], ['a/b'], ['a\\b']])('rejects %j with invalid-path-parameter and sends nothing', async (id) => {
    const { send, sent } = fakeV2({});
    const error = await compatError(run(table, 'GET /items/x', send, { params: { id } }));
    expect(error.code).toBe('invalid-path-parameter');
    expect(error.status).toBe(400);
    expect(error.extensions).toEqual({ parameter: 'id' });
    expect(sent).toEqual([]);
  });

  it.each([['/items/a%2Fb'], ['/items/%2E%2E'], ['/items/%2e']])('rejects the encoded v1 path %s once decoded', async (path) => {
    const { send, sent } = fakeV2({});
    const error = await compatError(run(table, `GET ${path}`, send));
    expect(error.code).toBe('invalid-path-parameter');
    expect(sent).toEqual([]);
  });
});

describe('error rules', () => {
  const table = compiledTable(
    mappingDocument({
      endpoints: [
        endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}', {
          response: [{ set: { path: 'body.trail', value: 'success' } }],
          errors: [
            { when: { status: 404 }, response: [{ set: { path: 'body.trail', value: 'endpoint' } }] },
            { when: { status: 500 }, response: [{ set: { path: 'body.trail', value: 'never' } }] },
          ],
        }),
      ],
      errors: [
        { when: { status: '4xx' }, response: [{ set: { path: 'body.trail', value: '${body.trail} global' } }] },
        { when: { status: '>=400' }, response: [{ set: { path: 'body.trail', value: '${body.trail} catch-all' } }, { status: { 404: 400 } }] },
      ],
    }),
  );

  it('run every matching rule, the endpoint\'s first, then the mapping-wide ones in order', async () => {
    const { send } = fakeV2({ 'GET /v2/items/1': { status: 404, body: {} } });
    const { response } = await run(table, 'GET /items/1', send);
    expect(response.body).toEqual({ trail: 'endpoint global catch-all' });
    expect(response.status).toBe(400);
  });

  it('run only the rules whose condition matches', async () => {
    const { send } = fakeV2({ 'GET /v2/items/1': { status: 503, body: {} } });
    const { response } = await run(table, 'GET /items/1', send);
    expect(response.body).toEqual({ trail: ' catch-all' });
  });

  it('never run on a 2xx, which takes the response steps instead', async () => {
    const { send } = fakeV2({ 'GET /v2/items/1': { body: {} } });
    expect((await run(table, 'GET /items/1', send)).response.body).toEqual({ trail: 'success' });
  });

  it('turn a failing error step into response-not-translatable', async () => {
    const strict = compiledTable(
      mappingDocument({
        endpoints: [endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}')],
        errors: [{ when: { status: 422 }, response: [{ coerce: { field: 'body.code', v1: 'integer', v2: 'string' } }] }],
      }),
    );
    const { send } = fakeV2({ 'GET /v2/items/1': { status: 422, body: { code: 'E-1' } } });
    const error = await compatError(run(strict, 'GET /items/1', send));
    expect(error.code).toBe('response-not-translatable');
    expect(error.extensions).toEqual({ endpoint: 'get-item', path: 'body.code' });
  });
});

describe('request translation', () => {
  it('fails with request-not-translatable and the path when a v1 value cannot take its v2 type', async () => {
    const table = compiledTable(
      mappingDocument({ endpoints: [endpoint('list', 'GET /items', 'POST /v2/items/query', { request: [{ move: { from: 'query.limit', to: 'body.limit', as: 'integer' } }] })] }),
    );
    const { send, sent } = fakeV2({});
    const error = await compatError(run(table, 'GET /items?limit=ten', send));
    expect(error.code).toBe('request-not-translatable');
    expect(error.status).toBe(422);
    expect(error.extensions).toEqual({ endpoint: 'list', path: 'query.limit' });
    expect(sent).toEqual([]);
  });
});

describe('the trace', () => {
  const table = compiledTable(
    mappingDocument({
      endpoints: [
        endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}', {
          request: [{ move: { from: 'query.page', to: 'query.page[number]' } }, { move: { from: 'query.limit', to: 'query.page[size]' } }],
          calls: [relatedCall],
          response: [{ rename: { from: 'body.title', to: 'body.name' } }, { remove: 'body.internal' }],
        }),
      ],
    }),
  );

  it('marks which steps changed the message and which found nothing to do, stage by stage', async () => {
    const { send } = fakeV2({ 'GET /v2/items/7': { body: { title: 'T' } }, 'GET /v2/items/7/related': { body: { data: [] } } });
    const trace: TraceEntry[] = [];
    await run(table, 'GET /items/7?page=2', send, {}, trace);
    expect(trace.map(({ stage, op, changed, pointer }) => [stage, op, changed, pointer])).toEqual([
      ['request', 'move', true, '/endpoints/0/request/0'],
      ['request', 'move', false, '/endpoints/0/request/1'],
      ['call related', 'call', true, '/endpoints/0/calls/0'],
      ['call related', 'merge', true, '/endpoints/0/calls/0'],
      ['response', 'rename', true, '/endpoints/0/response/0'],
      ['response', 'remove', false, '/endpoints/0/response/1'],
    ]);
    expect(trace[0]!.description).toBe('`query.page` moved to `query.page[number]`.');
  });

  it('records the error rules that ran, named by their condition', async () => {
    const withErrors = compiledTable(
      mappingDocument({
        endpoints: [endpoint('get-item', 'GET /items/{id}', 'GET /v2/items/{id}')],
        errors: [{ when: { status: '4xx' }, response: [{ status: { 404: 400 } }] }],
      }),
    );
    const trace: TraceEntry[] = [];
    await run(withErrors, 'GET /items/7', fakeV2({}).send, {}, trace);
    expect(trace).toEqual([{ stage: 'error 4xx', op: 'status', description: 'Status codes change: 404 in v2 is 400 in v1.', pointer: '/errors/0/response/0', changed: true, places: ['/status'] }]);
  });
});
