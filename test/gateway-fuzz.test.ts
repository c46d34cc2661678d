import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledTable } from '../src/core/mapping/compiled.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { KNOWLEDGE_MAPPING } from './support/example-stack.js';
import { parseRawAnswer, rawExchange } from './support/raw-http.js';
import { startRecordingUpstream, type RecordedRequest } from './support/recording-upstream.js';

/*
 * Fuzzing the gateway over both bundled mappings (mappings/knowledge.yaml, and
 * mappings/catalog.yaml with its handler, composed calls, paging and gatewayErrors: v1), with a
 * v2 stand-in that records every request and answers 2xx in the shapes the mapping expects, or,
 * as the property decides, hostile ones: nested 5,000 deep, HTML, invalid JSON, keys named
 * __proto__, ids that would climb a path or break a header. Thousands of generated requests,
 * ordinary and hostile (the shapes an outside tester found), over HTTP and raw sockets. Whatever
 * arrives, the process survives, every answer is valid HTTP and never a 500, every error the
 * gateway makes is in the mapping's error shape (problem+json, or v1's with gatewayErrors: v1),
 * and nothing reaches a v2 route the mapping does not name, nor a path segment that climbs.
 * Bounded in count and per-request time, seeded so that a failure can be replayed.
 */

const BUILT_IN = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];
const HOSTILE_SEGMENTS = ['..', '%2e%2e', '%2F', '..%2F..', '%00', '%', '%zz', '\u00e9', '%E2%80%AE', 'a'.repeat(3000), '1;x=1', '1?x', '1#x', '__proto__', 'constructor', '-1', '1e9', ' ', '%20', '.', '~', '%5C'];

/** How v2 answers one request: as the mapping expects, or in one of the hostile ways. */
type V2Answer = 'plain' | 'deep' | 'html' | 'invalid-json' | 'proto-keys' | 'climbing-ids' | 'header-breaking-ids' | 'huge-number' | 'empty';
const V2_ANSWERS = fc.oneof(
  { weight: 6, arbitrary: fc.constant<V2Answer>('plain') },
  { weight: 4, arbitrary: fc.constantFrom<V2Answer>('deep', 'html', 'invalid-json', 'proto-keys', 'climbing-ids', 'header-breaking-ids', 'huge-number', 'empty') },
);

interface MappingUnderTest {
  name: string;
  file: string;
  v1Templates: string[];
  queryNames: string[];
  /** Header sets a client of this API sends (method override, conditional requests, CORS). */
  headerSets: Array<Record<string, string>>;
  bodies: string[];
  /** v2's plain 2xx answer to a request, given the ids to put in it. */
  answer(request: RecordedRequest, id: string): string;
  /** Asserts that an error answer is in the shape the gateway's own errors take here. */
  expectGatewayError(status: number, contentType: string | null, text: string, method: string): void;
}

function expectProblemJson(status: number, contentType: string | null, text: string, method: string): void {
  expect(contentType, `${status} ${text}`).toBe('application/problem+json');
  if (method !== 'HEAD') expect(JSON.parse(text)).toMatchObject({ status, code: expect.any(String) });
}

const knowledge: MappingUnderTest = {
  name: 'knowledge',
  file: KNOWLEDGE_MAPPING,
  v1Templates: ['/api/v1/knowledge', '/api/v1/knowledge/{id}', '/api/v1/knowledge/add', '/api/v1/search', '/tasks', '/tasks/{id}', '/execute'],
  queryNames: ['q', 'limit', 'page', 'type'],
  headerSets: [{}],
  bodies: ['{"title":"t","content":"c","type":"note"}', '{"__proto__":{"x":1},"title":"t"}', '{"name":"n","priority":3}', '{"priority":"high"}', '{"priority":1e400}', '{"tags":["a",{"b":1}]}'],
  answer(request, id) {
    const path = request.rawTarget.split('?')[0]!;
    const item = { id, title: 't', body: 'b', knowledge_type: 'note', metadata: { tags: ['x'] }, name: 'n', priority: 4, status: 'RUNNING', timeout_seconds: 30, created_at: '2026-01-01T00:00:00Z' };
    if (path === '/api/v2/knowledge' && request.method === 'GET') return JSON.stringify({ data: [item, { ...item, id: '2' }], meta: { total: 2 } });
    if (path.endsWith('/related')) return JSON.stringify({ data: [{ id }] });
    if (path === '/api/v2/query/advanced-search') return JSON.stringify({ hits: [{ item, score: 1 }], total: 1 });
    return JSON.stringify(item);
  },
  expectGatewayError: expectProblemJson,
};

const catalog: MappingUnderTest = {
  name: 'catalog',
  file: new URL('../mappings/catalog.yaml', import.meta.url).pathname,
  v1Templates: ['/products', '/products/{id}', '/products/{id}/reviews', '/reviews/{id}', '/vendors', '/vendors/{id}'],
  queryNames: ['offset', 'limit', 'page', 'per_page', 'sort', 'embed', 'expand', 'price_gte', 'price_lt', 'in_stock', 'q', 'name_like', 'tag', 'vendor_id'],
  headerSets: [
    {},
    { 'x-http-method-override': 'PATCH' },
    { 'x-http-method-override': 'DELETE' },
    { 'x-http-method-override': 'put' },
    { 'x-http-method-override': 'TRACE' },
    { 'if-none-match': '"abc"' },
    { 'if-none-match': '*' },
    { origin: 'https://shop.example.com', 'access-control-request-method': 'PATCH' },
    { origin: 'https://evil.example' },
  ],
  bodies: ['{"name":"n","price":12.5,"vendor_id":1}', '{"author":"a","rating":5,"comment":"c"}', '{"in_stock":"yes"}', '{"price":-1}', '[1,2]', '"text"', '{"__proto__":{"x":1},"name":"p"}', '{"vendor_id":"..","id":"1\\r\\nx: y"}'],
  answer(request, id) {
    const path = request.rawTarget.split('?')[0]!;
    const item = {
      id,
      product_id: id,
      vendor_id: id,
      name: 'n',
      description: null,
      price: { amount: 1250, currency: 'EUR' },
      tags: ['a'],
      availability: 'in_stock',
      reviewer: { display_name: 'r' },
      text: 't',
      rating: 4,
      country_code: 'DE',
      support_email: 'v@example.com',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
    };
    if (/^\/v2\/(products|reviews|vendors)\/[^/]+$/.test(path)) return JSON.stringify({ data: item });
    if (request.method === 'GET') return JSON.stringify({ data: [item, { ...item, id: '2' }], meta: { total: 2 }, links: {} });
    return JSON.stringify({ data: item });
  },
  expectGatewayError(status, contentType, text, method) {
    // gatewayErrors: v1, and the catalog's last error rule: {"error", "status"} in v1's content type.
    expect(contentType, `${status} ${text}`).toBe('application/json; charset=utf-8');
    if (method !== 'HEAD') expect(JSON.parse(text)).toEqual({ error: expect.any(String), status });
  },
};

/** A v2 answer in one of the hostile shapes, built as text: JSON.stringify would turn `__proto__` into a prototype. */
function hostileAnswer(kind: V2Answer, plain: (id: string) => string): { status: number; contentType: string; body: string } {
  const json = (body: string) => ({ status: 200, contentType: 'application/json', body });
  switch (kind) {
    case 'deep':
      return json(`{"data":${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
    case 'html':
      return { status: 200, contentType: 'text/html', body: '<html><body>maintenance</body></html>' };
    case 'invalid-json':
      return json(plain('1').slice(0, -3));
    case 'proto-keys':
      return json(plain('1').replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},'));
    case 'climbing-ids':
      return json(plain('..'));
    case 'header-breaking-ids':
      return json(plain('1\r\nx-injected: yes'));
    case 'huge-number':
      return json(plain('1').replace(/"id":"1"/g, '"id":1e400'));
    case 'empty':
      return { status: 200, contentType: 'application/json', body: '' };
    default:
      return json(plain('1'));
  }
}

/** `GET /v2/products/{id}` as a pattern: a parameter fills one segment, with no character that could leave it. */
function routePattern(method: string, template: string): RegExp {
  return new RegExp(`^${method} ${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/?#]+')}(\\?.*)?$`);
}

/** Whether any segment of the path would climb or split once a server decodes it. */
function climbs(rawTarget: string): boolean {
  const path = rawTarget.split('?')[0]!;
  return path.split('/').some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded === '.' || decoded === '..' || /[/\\]/.test(decoded);
  });
}

describe.each([knowledge, catalog])('fuzzing the gateway over the $name mapping', (mapping) => {
  let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;
  let gateway: RunningGateway;
  let allowedV2: RegExp[];
  /** What v2 does with the request being sent now; set by each generated case. */
  let v2Answer: V2Answer = 'plain';

  beforeAll(async () => {
    upstream = await startRecordingUpstream((request) => {
      const answer = hostileAnswer(v2Answer, (id) => mapping.answer(request, id));
      return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });
    });
    const table: CompiledTable = (await loadMappingFile(mapping.file, { env: { V2_URL: upstream.url, V1_URL: '' } })).table;
    gateway = await startGateway({ table, upstreamOptions: { deadline: 2_000, headersTimeout: 2_000, bodyTimeout: 2_000 } });
    allowedV2 = table.endpoints.flatMap((endpoint) => [endpoint.v2, ...endpoint.calls.map((call) => call.route)]).flatMap((route) => (route ? [routePattern(route.method, route.template)] : []));
    expect(allowedV2.length).toBeGreaterThan(5);
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  function checkUpstream(from: number): void {
    for (const sent of upstream.received.slice(from)) {
      const line = `${sent.method} ${sent.rawTarget}`;
      expect(allowedV2.some((allowed) => allowed.test(line)), `reached v2 outside the mapping: ${line}`).toBe(true);
      expect(climbs(sent.rawTarget), `reached v2 with a path that climbs: ${line}`).toBe(false);
    }
  }

  const segment = fc.oneof(fc.constantFrom(...HOSTILE_SEGMENTS), fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/));
  const path = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...mapping.v1Templates), segment).map(([template, value]) => template.replace('{id}', value)) },
    { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`) },
  );
  const queryValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '0', '1', '2', '100', '101', '1e400', 'NaN', '0x10', 'true', 'reviews', 'vendor', 'price', '-name', ...BUILT_IN));
  const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...BUILT_IN, ...mapping.queryNames), fc.stringMatching(/^[a-z[\]]{1,8}$/)), queryValue), { maxLength: 5 });
  // The shapes of the outside tester's findings, beside generated JSON and text.
  const body = fc.oneof(
    fc.constant(undefined),
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 200 }),
    fc.integer({ min: 10, max: 5_000 }).map((levels) => '['.repeat(levels) + ']'.repeat(levels)),
    fc.integer({ min: 900, max: 3_000 }).map((keys) => `{${Array.from({ length: keys }, (_, i) => `"k${i}":0`).join(',')}}`),
    fc.constantFrom(...mapping.bodies, '{', '[]', 'null'),
  );
  const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'text/html', 'application/x-www-form-urlencoded', 'application/problem+json', 'garbage/;;;');
  const contentEncoding = fc.option(fc.record({ label: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'gzip, gzip', 'identity'), compressed: fc.boolean() }), { nil: undefined, freq: 4 });
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
  const request = fc.record({
    method,
    path,
    query,
    body,
    contentType,
    contentEncoding,
    headers: fc.constantFrom(...mapping.headerSets),
    requestId: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.uuid()), { nil: undefined }),
    clientId: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
    v2Answer: V2_ANSWERS,
  });

  it('answers 2,000 generated requests validly, errors in the gateway shape, calling only mapped v2 routes', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        const before = upstream.received.length;
        v2Answer = generated.v2Answer;
        const search = new URLSearchParams(generated.query).toString();
        const headers: Record<string, string> = { ...generated.headers };
        if (generated.contentType) headers['content-type'] = generated.contentType;
        if (generated.requestId !== undefined) headers['x-request-id'] = generated.requestId.replace(/[^\x20-\x7e]/g, '');
        if (generated.clientId !== undefined) headers['x-client-id'] = generated.clientId.replace(/[^\x20-\x7e]/g, '');
        const hasBody = generated.body !== undefined && generated.method !== 'GET' && generated.method !== 'HEAD';
        let payload: string | Buffer | undefined = hasBody ? (typeof generated.body === 'string' ? generated.body : JSON.stringify(generated.body)) : undefined;
        if (payload !== undefined && generated.contentEncoding) {
          headers['content-encoding'] = generated.contentEncoding.label;
          // Compressed, or (the finding) plain bytes labelled compressed.
          if (generated.contentEncoding.compressed && generated.contentEncoding.label === 'gzip') payload = gzipSync(payload);
        }
        const response = await fetch(`${gateway.url}${generated.path}${search ? `?${search}` : ''}`, { method: generated.method, headers, body: payload, signal: AbortSignal.timeout(5_000) });
        const text = await response.text();
        sent++;
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(600);
        expect(response.status, text).not.toBe(500);
        // v2 answers 2xx to everything, so every error here is one the gateway made.
        if (response.status >= 400) mapping.expectGatewayError(response.status, response.headers.get('content-type'), text, generated.method);
        expect(response.headers.get('x-injected')).toBeNull();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        checkUpstream(before);
      }),
      { numRuns: 2_000, seed: 20261201, endOnFailure: true },
    );
    expect(sent).toBe(2_000);
    // A good share of it reached v2: the fuzz is not all turned away at the door.
    expect(upstream.received.length).toBeGreaterThan(200);
  }, 60_000);

  it('answers 300 raw-socket requests with hostile framing with valid HTTP or a closed connection', async () => {
    const rawLine = fc.oneof(
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nX: a\rb\r\n\r\n`),
      fc.constantFrom(
        'CONNECT gw.test:443 HTTP/1.1\r\nHost: gw.test\r\n\r\n',
        'OPTIONS * HTTP/1.1\r\nHost: gw.test\r\n\r\n',
        `GET http://evil.test${mapping.v1Templates[0]} HTTP/1.1\r\nHost: evil.test\r\n\r\n`,
        `GET ${mapping.v1Templates[0]} HTTP/1.1\r\n\r\n`,
        `GET ${mapping.v1Templates[0]}\\1 HTTP/1.1\r\nHost: gw.test\r\n\r\n`,
        `GET ${mapping.v1Templates[0]} HTTP/1.1\r\nHost: bad host!\r\n\r\n`,
        '\r\n\r\n',
        'GET / HTTP/9.9\r\n\r\n',
      ),
      fc.string({ maxLength: 300 }).map((junk) => `${junk}\r\n\r\n`),
    );
    // Ten connections at a time: a connection the gateway leaves open waits out its timeout in parallel.
    await fc.assert(
      fc.asyncProperty(fc.array(rawLine, { minLength: 10, maxLength: 10 }), async (batch) => {
        const before = upstream.received.length;
        v2Answer = 'plain';
        const raws = await Promise.all(batch.map((bytes) => rawExchange(gateway.server.port, bytes, 500, { firstAnswerOnly: true })));
        raws.forEach((raw, index) => {
          if (raw.length === 0) return;
          expect(raw, JSON.stringify(batch[index])).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
          const answer = parseRawAnswer(raw);
          expect(answer.status).not.toBe(500);
          // Requests too broken to reach an endpoint are problem+json even where the mapping has its own shape.
          const type = answer.headers['content-type'];
          if (answer.status >= 400 && type && type !== 'application/problem+json') mapping.expectGatewayError(answer.status, type, answer.body, 'HEAD');
        });
        checkUpstream(before);
      }),
      { numRuns: 30, seed: 20261202, endOnFailure: true },
    );
    // Still serving after all of it.
    const after = await fetch(`${gateway.url}${mapping.v1Templates[1]!.replace('{id}', '1')}`);
    expect(after.status).toBe(200);
  }, 60_000);
});
