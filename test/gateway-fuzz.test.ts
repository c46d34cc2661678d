import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledTable } from '../src/core/mapping/compiled.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { loadKnowledgeTable } from './support/example-stack.js';
import { parseRawAnswer, rawExchange } from './support/raw-http.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * Fuzzing the gateway over the bundled mapping, with a v2 stand-in that records every request
 * and answers 200 {}: thousands of generated requests, ordinary and hostile, over HTTP and raw
 * sockets. Whatever arrives, the process survives, every answer is valid HTTP, every error the
 * gateway makes is problem+json, and nothing reaches a v2 route the mapping does not name.
 * Bounded in count (and each request in time), seeded so that a failure can be replayed.
 */

type Recording = Awaited<ReturnType<typeof startRecordingUpstream>>;
let upstream: Recording;
let gateway: RunningGateway;
let table: CompiledTable;
let allowedV2: RegExp[];

beforeAll(async () => {
  upstream = await startRecordingUpstream(() => json({}));
  table = await loadKnowledgeTable({ V2_URL: upstream.url });
  gateway = await startGateway({ table, upstreamOptions: { deadline: 2_000, headersTimeout: 2_000, bodyTimeout: 2_000 } });
  const templates = table.endpoints.flatMap((endpoint) => [endpoint.v2, ...endpoint.calls.map((call) => call.route)]).filter((route) => route !== undefined);
  // A parameter fills exactly one segment, with no characters that could climb out of it.
  allowedV2 = templates.map((route) => new RegExp(`^${route!.method} ${route!.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/?#]+')}(\\?.*)?$`));
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const V1_TEMPLATES = ['/api/v1/knowledge', '/api/v1/knowledge/{id}', '/api/v1/knowledge/add', '/api/v1/search', '/tasks', '/tasks/{id}', '/execute'];
const HOSTILE_SEGMENTS = ['..', '%2e%2e', '%2F', '..%2F..', '%00', '%', '%zz', '\u00e9', '%E2%80%AE', 'a'.repeat(3000), '1;x=1', '1?x', '1#x', '__proto__', 'constructor', '-1', '1e9', ' ', '%20', '.', '~'];
const BUILT_IN = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

const segment = fc.oneof(fc.constantFrom(...HOSTILE_SEGMENTS), fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/));
const path = fc.oneof(
  fc.tuple(fc.constantFrom(...V1_TEMPLATES), segment).map(([template, value]) => template.replace('{id}', value)),
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
);
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...BUILT_IN, 'q', 'limit', 'page', 'type'), fc.stringMatching(/^[a-z[\]]{1,8}$/)), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '1e400', 'NaN', '0x10', ...BUILT_IN))), { maxLength: 5 });
const deep = fc.integer({ min: 10, max: 3000 }).map((levels) => '['.repeat(levels) + ']'.repeat(levels));
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  deep,
  fc.constantFrom('{"title":"t","content":"c","type":"note"}', '{"__proto__":{"x":1},"title":"t"}', '{"priority":"high"}', '{"priority":1e400}', '{', '[]', 'null'),
);
const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/problem+json', 'garbage/;;;');
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
const requestId = fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.uuid()), { nil: undefined });

const request = fc.record({ method, path, query, body, contentType, requestId, clientId: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }) });

function checkUpstream(from: number): void {
  for (const sent of upstream.received.slice(from)) {
    const line = `${sent.method} ${sent.rawTarget}`;
    expect(allowedV2.some((allowed) => allowed.test(line)), `reached v2 outside the mapping: ${line}`).toBe(true);
  }
}

describe('fuzzing the gateway over the bundled mapping', () => {
  it('answers 2,000 generated requests validly, errors as problem+json, and calls only mapped v2 routes', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        const before = upstream.received.length;
        const search = new URLSearchParams(generated.query).toString();
        const headers: Record<string, string> = {};
        if (generated.contentType) headers['content-type'] = generated.contentType;
        if (generated.requestId !== undefined) headers['x-request-id'] = generated.requestId.replace(/[^\x20-\x7e]/g, '');
        if (generated.clientId !== undefined) headers['x-client-id'] = generated.clientId.replace(/[^\x20-\x7e]/g, '');
        const hasBody = generated.body !== undefined && generated.method !== 'GET' && generated.method !== 'HEAD';
        const payload = hasBody ? (typeof generated.body === 'string' ? generated.body : JSON.stringify(generated.body)) : undefined;
        const response = await fetch(`${gateway.url}${generated.path}${search ? `?${search}` : ''}`, { method: generated.method, headers, body: payload, signal: AbortSignal.timeout(5_000) });
        const text = await response.text();
        sent++;
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(600);
        // v2 answers 200 to everything, so every error here is one the gateway made.
        if (response.status >= 400) {
          expect(response.headers.get('content-type'), `${response.status} ${text}`).toBe('application/problem+json');
          if (generated.method !== 'HEAD') expect(JSON.parse(text)).toMatchObject({ status: response.status, code: expect.any(String) });
        }
        expect(response.status, text).not.toBe(500);
        checkUpstream(before);
      }),
      { numRuns: 2_000, seed: 20261201, endOnFailure: true },
    );
    expect(sent).toBe(2_000);
  }, 60_000);

  it('answers 300 raw-socket requests with hostile framing with valid HTTP or a closed connection', async () => {
    const rawLine = fc.oneof(
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
      fc.tuple(method, path).map(([m, p]) => `${m} ${p} HTTP/1.1\r\nHost: gw.test\r\nX: a\rb\r\n\r\n`),
      fc.constantFrom('CONNECT gw.test:443 HTTP/1.1\r\nHost: gw.test\r\n\r\n', 'OPTIONS * HTTP/1.1\r\nHost: gw.test\r\n\r\n', 'GET http://evil.test/tasks/1 HTTP/1.1\r\nHost: evil.test\r\n\r\n', 'GET /tasks/1 HTTP/1.1\r\n\r\n', 'GET /tasks\\1 HTTP/1.1\r\nHost: gw.test\r\n\r\n', '\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n'),
      fc.string({ maxLength: 300 }).map((junk) => `${junk}\r\n\r\n`),
    );
    await fc.assert(
      fc.asyncProperty(rawLine, async (bytes) => {
        const before = upstream.received.length;
        const raw = await rawExchange(gateway.server.port, bytes, 1_000);
        if (raw.length > 0) {
          expect(raw, JSON.stringify(bytes)).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
          const answer = parseRawAnswer(raw);
          expect(answer.status).not.toBe(500);
          if (answer.status >= 400 && answer.headers['content-type']) expect(answer.headers['content-type']).toBe('application/problem+json');
        }
        checkUpstream(before);
      }),
      { numRuns: 300, seed: 20261202, endOnFailure: true },
    );
    // Still serving after all of it.
    expect((await fetch(`${gateway.url}/tasks/1`)).status).toBeLessThan(500);
  }, 60_000);
});
