import { afterEach, describe, expect, it } from 'vitest';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { createApp } from '../src/server/create-app.js';
import { startGateway } from '../src/server/gateway.js';
import { UpstreamClient } from '../src/upstream/upstream-client.js';
import { runCli, tempDir } from './support/cli-harness.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * The request-aware pipeline as the gateway serves it: real mapping files and modules on disk,
 * a recording v2 on loopback, and the answers a v1 client gets.
 */

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const MAPPING = `
name: shop
upstream: \${V2_URL}
gatewayErrors: v1
lifecycle: { deprecation: 2026-06-01, guide: https://example.com/migrate }
endpoints:
  - id: list
    v1: GET /items
    v2: GET /v2/items
    paging:
      v1: { offset: offset, limit: limit }
      size: { default: 2, max: 10 }
      v2: { page: "page[number]", size: "page[size]" }
      items: body.data
      total: body.meta.total
      link: true
    response:
      - unwrap: body.data
  - id: delete
    v1: DELETE /items/{id}
    v2: DELETE /v2/items/{id}
    handler: ./hooks.ts#deleteWithChildren
    maxCalls: 4
  - id: create
    v1: POST /items
    v2: POST /v2/items
    request:
      - move: { from: body.name, to: body.title }
errors:
  - when: { body.code: { exists: true } }
    description: The gateway's own problems carry a stable code; v1 clients read error and status.
    response:
      - set: { path: body, value: { error: "\${body.code}", status: "\${status}" } }
      - set: { path: headers.content-type, value: application/json }
  - when: { status: ">=400", body.code: { exists: false } }
    response:
      - set: { path: body, value: { error: "\${body.detail}", status: "\${status}" } }
`;

// Written to a folder without a package.json, as a ConfigMap mount would be.
const HOOKS = `
import type { HttpMessage } from '${new URL('../src/core/model/http-message.ts', import.meta.url).pathname}';

interface Context { send(request: HttpMessage): Promise<HttpMessage> }

/** v1 deleted an item's children with it; v2 does not. */
export async function deleteWithChildren(v2Request: HttpMessage, context: Context): Promise<HttpMessage> {
  const children = await context.send({ ...v2Request, method: 'GET', path: v2Request.path + '/children', query: {} });
  for (const child of (children.body as { data: Array<{ id: string }> }).data) {
    await context.send({ ...v2Request, method: 'DELETE', path: '/v2/children/' + child.id, query: {} });
  }
  return context.send(v2Request);
}
`;

async function gatewayOver(answer: Parameters<typeof startRecordingUpstream>[0]) {
  const upstream = await startRecordingUpstream(answer);
  cleanups.push(() => upstream.close());
  const folder = await tempDir();
  cleanups.push(() => folder.remove());
  const file = await folder.write('mapping.yaml', MAPPING);
  await folder.write('hooks.ts', HOOKS);
  const { table } = await loadMappingFile(file, { env: { V2_URL: upstream.url } });
  const client = new UpstreamClient(upstream.url);
  cleanups.push(() => client.close());
  return { app: createApp({ table, upstream: client }), upstream, folder, file };
}

describe('the gateway serves request-aware mappings', () => {
  it('pages with a Link header built from the v1 URL, and keeps the lifecycle Link beside it', async () => {
    const { app, upstream } = await gatewayOver(() => json({ data: [{ id: 3 }, { id: 4 }], meta: { total: 5 } }));
    const response = await app.request('http://api.test/items?offset=2&limit=2');
    expect(await response.json()).toEqual([{ id: 3 }, { id: 4 }]);
    expect(upstream.received[0]!.rawTarget).toBe('/v2/items?page%5Bnumber%5D=2&page%5Bsize%5D=2');
    expect(response.headers.get('link')).toBe(
      '<http://api.test/items?offset=0&limit=2>; rel="first", <http://api.test/items?offset=0&limit=2>; rel="prev", <http://api.test/items?offset=4&limit=2>; rel="next", <http://api.test/items?offset=4&limit=2>; rel="last", <https://example.com/migrate>; rel="deprecation"; type="text/html"',
    );
  });

  it('renders its own failures in the v1 error shape: malformed JSON, a bad parameter, no route, v2 down', async () => {
    const { app } = await gatewayOver(() => json({}));
    const malformed = await app.request('/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect([malformed.status, malformed.headers.get('content-type'), await malformed.json()]).toEqual([400, 'application/json', { error: 'request-not-json', status: 400 }]);
    const badOffset = await app.request('/items?offset=-3');
    expect([badOffset.status, await badOffset.json()]).toEqual([400, { error: 'invalid-query-value', status: 400 }]);
    const nowhere = await app.request('/nowhere');
    expect([nowhere.status, await nowhere.json()]).toEqual([404, { error: 'route-not-found', status: 404 }]);
    const wrongMethod = await app.request('/items', { method: 'PUT' });
    expect([wrongMethod.status, wrongMethod.headers.get('allow'), await wrongMethod.json()]).toEqual([405, 'GET, HEAD, POST', { error: 'method-not-allowed', status: 405 }]);

    const down = await loadMappingFile((await gatewayOver(() => json({}))).file, { env: { V2_URL: 'http://127.0.0.1:9' } });
    const client = new UpstreamClient('http://127.0.0.1:9');
    cleanups.push(() => client.close());
    const unreachable = await createApp({ table: down.table, upstream: client }).request('/items');
    expect([unreachable.status, await unreachable.json()]).toEqual([502, { error: 'upstream-unreachable', status: 502 }]);
  });

  it('runs a handler loaded from a folder without a package.json, with bounded calls through the pool', async () => {
    const { app, upstream } = await gatewayOver((request) => {
      if (request.rawTarget === '/v2/items/7/children') return json({ data: [{ id: 'c1' }, { id: 'c2' }] });
      if (request.rawTarget === '/v2/items/8/children') return json({ data: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }] });
      return new Response(null, { status: 204 });
    });
    const deleted = await app.request('/items/7', { method: 'DELETE' });
    expect([deleted.status, await deleted.text()]).toEqual([204, '']);
    expect(upstream.received.map((r) => `${r.method} ${r.rawTarget}`)).toEqual(['GET /v2/items/7/children', 'DELETE /v2/children/c1', 'DELETE /v2/children/c2', 'DELETE /v2/items/7']);
    const tooMany = await app.request('/items/8', { method: 'DELETE' });
    expect([tooMany.status, await tooMany.json()]).toEqual([502, { error: 'too-many-calls', status: 502 }]);
  });
});

describe('translate shows the same decisions as the gateway', () => {
  it('prints the conditions that held, the calls made and the answer as the gateway writes it', async () => {
    const folder = await tempDir();
    cleanups.push(() => folder.remove());
    const mapping = await folder.write(
      'mapping.yaml',
      `
name: t
upstream: http://127.0.0.1:1
lifecycle: { guide: https://example.com/migrate }
render: { etag: strong, contentType: application/json; charset=utf-8 }
cors: { origins: [https://app.test], credentials: true }
endpoints:
  - id: list
    v1: GET /items
    v2: GET /v2/items
    response:
      - unwrap: body.data
      - header: { name: Link, value: "</items?page=2>; rel=\\"next\\"" }
        when: { request.query.page: { exists: true } }
      - sort: { by: "\${request.query.sort}", keys: [id, name] }
`,
    );
    const answer = await folder.write('v2.yaml', 'status: 200\nbody: { data: [ { id: 2, name: b }, { id: 1, name: a } ] }\n');
    const run = await runCli(['translate', '--mapping', mapping, '--request', 'GET /items?sort=name', '--header', 'Origin: https://app.test', '--response', answer], { cwd: folder.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('skipped [response] header');
    expect(run.stdout).toContain('(when {"request.query.page":{"exists":true}}: false)');
    expect(run.stdout).toContain('fired   [response] sort');
    expect(run.stdout).toContain('  [{"id":1,"name":"a"},{"id":2,"name":"b"}]');
    expect(run.stdout).toContain('access-control-allow-origin: https://app.test');
    expect(run.stdout).toMatch(/etag: "[A-Za-z0-9_-]+"/);
    expect(run.stdout).toContain('link: <https://example.com/migrate>; rel="deprecation"; type="text/html"');

    const withCalls = await folder.write(
      'calls.yaml',
      `
name: c
upstream: http://127.0.0.1:1
endpoints:
  - id: list
    v1: GET /items
    v2: GET /v2/items
    calls:
      - id: owners
        v2: GET /v2/owners
        when: { request.query.expand: owner }
        query: { ids: "\${main.body.data[].owner_id|join}" }
        join: { parents: "body.data[]", children: "body.data[]", on: { parent: owner_id, child: id }, as: owner, many: false }
    response: [ { unwrap: body.data } ]
`,
    );
    const answers = await folder.write('answers.yaml', 'calls:\n  main: { body: { data: [ { id: 1, owner_id: 7 } ] } }\n  owners: { body: { data: [ { id: 7, name: Ada } ] } }\n');
    const expanded = await runCli(['translate', '--mapping', withCalls, '--request', 'GET /items?expand=owner', '--response', answers], { cwd: folder.dir });
    expect(expanded.stdout).toContain('GET /v2/owners?ids=7');
    expect(expanded.stdout).toMatch(/fired {3}\[call owners\] call: GET \/v2\/owners sent\. \(when .*: true\)/);
    expect(expanded.stdout).toContain('[call owners] join');
    expect(expanded.stdout).toContain('[{"id":1,"owner_id":7,"owner":{"id":7,"name":"Ada"}}]');
    const plain = await runCli(['translate', '--mapping', withCalls, '--request', 'GET /items', '--response', answers], { cwd: folder.dir });
    expect(plain.stdout).toMatch(/skipped \[call owners\] call: GET \/v2\/owners skipped: condition .* is false\./);
    expect(plain.stdout).toContain('[{"id":1,"owner_id":7}]');

    const paged = await runCli(['translate', '--mapping', mapping, '--request', 'GET /items?page=2', '--response', answer, '--json'], { cwd: folder.dir });
    const out = JSON.parse(paged.stdout) as { response: { headers: Record<string, string> } };
    expect(out.response.headers.link).toBe('</items?page=2>; rel="next", <https://example.com/migrate>; rel="deprecation"; type="text/html"');
  });
});

describe('the gateway over real sockets', () => {
  it('builds request.url from X-Forwarded-* only on a connection from a trusted proxy', async () => {
    const upstream = await startRecordingUpstream(() => json({ data: [{ id: 1 }, { id: 2 }], meta: { total: 4 } }));
    cleanups.push(() => upstream.close());
    const folder = await tempDir();
    cleanups.push(() => folder.remove());
    const file = await folder.write('mapping.yaml', MAPPING);
    await folder.write('hooks.ts', HOOKS);
    const { table } = await loadMappingFile(file, { env: { V2_URL: upstream.url } });
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };
    const direct = await startGateway({ table, port: 0 });
    cleanups.push(() => direct.close());
    const spoofed = await fetch(`${direct.url}/items?limit=2`, { headers: forwarded });
    expect(spoofed.headers.get('link')).toContain(`<${direct.url}/items?limit=2&offset=2>; rel="next"`);
    const behindProxy = await startGateway({ table, port: 0, trustedProxies: ['127.0.0.0/8'] });
    cleanups.push(() => behindProxy.close());
    const proxied = await fetch(`${behindProxy.url}/items?limit=2`, { headers: forwarded });
    expect(proxied.headers.get('link')).toContain('<https://api.example.com/items?limit=2&offset=2>; rel="next"');
  });

  it('answers HEAD with the GET headers and a CORS preflight from the mapping policy', async () => {
    const upstream = await startRecordingUpstream(() => json({ data: [{ id: 1 }], meta: { total: 1 } }));
    cleanups.push(() => upstream.close());
    const folder = await tempDir();
    cleanups.push(() => folder.remove());
    const file = await folder.write('m.yaml', `name: c\nupstream: ${upstream.url}\ncors: { origins: [https://app.test], allowHeaders: [Content-Type], maxAge: 60 }\nendpoints:\n  - { id: list, v1: GET /items, v2: GET /v2/items, response: [ { unwrap: body.data } ] }\n`);
    const { table } = await loadMappingFile(file);
    const gateway = await startGateway({ table, port: 0 });
    cleanups.push(() => gateway.close());
    const head = await fetch(`${gateway.url}/items`, { method: 'HEAD', headers: { origin: 'https://app.test' } });
    expect([head.status, head.headers.get('access-control-allow-origin'), head.headers.get('vary'), await head.text()]).toEqual([200, 'https://app.test', 'Origin', '']);
    const preflight = await fetch(`${gateway.url}/items`, { method: 'OPTIONS', headers: { origin: 'https://app.test', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control') || name === 'allow'))).toEqual({
      allow: 'GET, HEAD, OPTIONS',
      'access-control-allow-origin': 'https://app.test',
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-headers': 'Content-Type',
      'access-control-max-age': '60',
    });
    expect(upstream.received.map((r) => r.method)).toEqual(['GET']);
  });
});
