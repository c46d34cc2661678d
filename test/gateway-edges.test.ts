import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument } from '../src/core/model/mapping.js';
import { createAdminApp, GatewayMetrics } from '../src/server/admin.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { listen } from '../src/server/listen.js';
import { parseRawAnswer, rawExchange } from './support/raw-http.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * The edges of HTTP as an outside tester pokes them, over raw sockets: every answer the gateway
 * makes itself is problem+json, keys named after JavaScript built-ins are plain keys, internal
 * hosts stay out of client-facing errors, and the metrics cannot be poisoned by junk client ids.
 */

const MAPPING = (upstream: string): MappingDocument => ({
  name: 'edges',
  upstream,
  endpoints: [
    { id: 'echo', v1: 'GET /v1/echo', v2: 'GET /v2/echo', unmappedQuery: 'pass' },
    { id: 'search', v1: 'GET /v1/search', v2: 'GET /v2/search', unmappedQuery: 'reject', request: [{ rename: { from: 'query.q', to: 'query.text' } }] },
    { id: 'create', v1: 'POST /v1/items', v2: 'POST /v2/items', request: [{ rename: { from: 'body.name', to: 'body.title' } }] },
  ],
});

let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;
let gateway: RunningGateway;
let port: number;

beforeAll(async () => {
  upstream = await startRecordingUpstream((request) => json({ ok: true, method: request.method }));
  const { table } = compileMapping(MAPPING(upstream.url));
  gateway = await startGateway({ table: table! });
  port = gateway.server.port;
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

function expectProblem(raw: string, status: number, code: string) {
  const answer = parseRawAnswer(raw);
  expect(answer.status, raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(answer.body)).toMatchObject({ status, code });
  return answer;
}

describe('requests too broken for the app still get problem+json', () => {
  it.each([
    ['a backslash in the path', 'GET /v1\\echo HTTP/1.1\r\nHost: gw.test\r\n\r\n'],
    ['a bad Host', 'GET /v1/echo HTTP/1.1\r\nHost: bad host!\r\n\r\n'],
    ['no Host on HTTP/1.1', 'GET /v1/echo HTTP/1.1\r\n\r\n'],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: gw.test\r\n\r\n'],
    ['an absolute-form target (forward-proxy style)', 'GET http://elsewhere.test/v1/echo HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n'],
    ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n'],
  ])('400 for %s', async (_name, bytes) => {
    const before = upstream.received.length;
    expectProblem(await rawExchange(port, bytes), 400, 'bad-request');
    expect(upstream.received.length).toBe(before);
  });

  it('405 with Allow for CONNECT, which opens no tunnel', async () => {
    const answer = expectProblem(await rawExchange(port, 'CONNECT elsewhere.test:443 HTTP/1.1\r\nHost: elsewhere.test:443\r\n\r\n'), 405, 'method-not-allowed');
    expect(answer.headers.allow).toContain('GET');
  });
});

describe('bytes after a request on the same connection', () => {
  const post = (connection: string) => {
    const body = '{"name":"n"}';
    return `POST /v1/items HTTP/1.1\r\nHost: gw.test\r\nConnection: ${connection}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  };
  /** The status lines of every answer written on the connection, in order. */
  const statuses = (raw: string) => [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));

  it.each([
    ['garbage', 'garbage\r\n\r\n'],
    ['a few stray bytes', 'xyz'],
    ['a pipelined second request', 'GET /v1/echo HTTP/1.1\r\nHost: gw.test\r\n\r\n'],
  ])('after a Connection: close POST, %s get no answer and are not processed (RFC 9112 section 9.6)', async (_name, trailing) => {
    const before = upstream.received.length;
    // A long socket timeout: a connection the gateway left open fails the test by its own timeout.
    const raw = await rawExchange(port, post('close') + trailing, 60_000);
    expect(statuses(raw), raw).toEqual([200]);
    const answer = parseRawAnswer(raw);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({ ok: true, method: 'POST' });
    // v2 ran the POST once and saw nothing of what followed it.
    expect(upstream.received.slice(before).map((request) => `${request.method} ${request.rawTarget}`)).toEqual(['POST /v2/items']);
  });

  it('an HTTP/1.0 request closes by default: what follows it is not processed either', async () => {
    const before = upstream.received.length;
    const body = '{"name":"n"}';
    const raw = await rawExchange(port, `POST /v1/items HTTP/1.0\r\nHost: gw.test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /v1/echo HTTP/1.0\r\n\r\n`, 60_000);
    expect(statuses(raw), raw).toEqual([200]);
    expect(upstream.received.slice(before).map((request) => request.method)).toEqual(['POST']);
  });

  it('on a kept-alive connection, a broken request after a POST is refused after the POST is answered', async () => {
    const before = upstream.received.length;
    const raw = await rawExchange(port, `${post('keep-alive')}HELLO THERE\r\n\r\n`);
    expect(statuses(raw), raw).toEqual([200, 400]);
    expect(raw.slice(raw.lastIndexOf('HTTP/1.1 400'))).toContain('"code":"bad-request"');
    expect(upstream.received.length).toBe(before + 1);
  });
});

describe('header names named after JavaScript built-ins are plain names', () => {
  const builtIn = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype', 'length');
  const value = fc.stringMatching(/^[a-z0-9]{1,6}$/);

  it('reach v2 with their values, on a translated and a streamed endpoint (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(builtIn, value), { minLength: 1, maxLength: 4, selector: ([name]) => name }), fc.boolean(), async (pairs, translated) => {
        // Raw bytes: fetch itself drops a `__proto__` header before sending.
        const fields = pairs.map(([name, given]) => `${name}: ${given}\r\n`).join('');
        const body = '{"name":"n"}';
        const request = translated
          ? `POST /v1/items HTTP/1.1\r\nHost: gw.test\r\n${fields}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
          : `GET /v1/echo HTTP/1.1\r\nHost: gw.test\r\n${fields}Connection: close\r\n\r\n`;
        const answer = parseRawAnswer(await rawExchange(port, request));
        expect(answer.status).toBe(200);
        const sent = upstream.received.at(-1)!;
        expect(sent.method).toBe(translated ? 'POST' : 'GET');
        for (const [name, given] of pairs) expect(Object.hasOwn(sent.headers, name.toLowerCase()) ? sent.headers[name.toLowerCase()] : undefined, name).toBe(given);
      }),
      { numRuns: 60 },
    );
  });
});

describe('query keys named after JavaScript built-ins are plain keys', () => {
  const builtIn = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype', 'length', '0');
  const key = fc.oneof(builtIn, fc.stringMatching(/^[a-z]{1,6}$/));
  const value = fc.oneof(fc.stringMatching(/^[a-z0-9]{0,6}$/), builtIn);

  it('reach v2 exactly as sent, every value under its own name (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 8 }), async (pairs) => {
        const search = new URLSearchParams(pairs).toString();
        const response = await fetch(`${gateway.url}/v1/echo?${search}`);
        expect(response.status).toBe(200);
        const sent = upstream.received.at(-1)!;
        const forwarded = [...new URLSearchParams(sent.rawTarget.split('?')[1] ?? '')];
        // Repeated names are grouped, so compare per name, values in their order.
        const grouped = (list: Array<[string, string]>) => {
          const byName = new Map<string, string[]>();
          for (const [name, item] of list) byName.set(name, [...(byName.get(name) ?? []), item]);
          return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        };
        expect(grouped(forwarded)).toEqual(grouped(pairs));
      }),
      { numRuns: 150 },
    );
  });

  it.each(['__proto__=a&__proto__=b', 'constructor=x', 'toString=y'])('an endpoint that rejects unknown parameters rejects ?%s', async (search) => {
    const before = upstream.received.length;
    const response = await fetch(`${gateway.url}/v1/search?q=x&${search}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'unknown-query-parameter' });
    expect(upstream.received.length).toBe(before);
  });

  it('a JSON body key named __proto__ is a plain key', async () => {
    const response = await fetch(`${gateway.url}/v1/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n","__proto__":{"polluted":true}}' });
    expect(response.status).toBe(200);
    expect(JSON.parse(upstream.received.at(-1)!.body)).toEqual(JSON.parse('{"title":"n","__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('what clients learn and what they can claim', () => {
  it('a 502 does not name the internal upstream address', async () => {
    const { table } = compileMapping(MAPPING('http://127.0.0.1:9'));
    const unreachable = await startGateway({ table: table! });
    try {
      const response = await fetch(`${unreachable.url}/v1/echo`);
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain(':9');
      expect(JSON.parse(text)).toMatchObject({ code: 'upstream-unreachable' });
    } finally {
      await unreachable.close();
    }
  });

  it.each([
    ['<script>alert(1)</script>', false],
    ['a'.repeat(200), false],
    ['id with spaces', false],
    ['0190c3e2-7b7e-7cc1-9a51-1c3f0a6e1d2b', true],
    ['trace:abc.DEF-1', true],
  ])('X-Request-Id %j kept: %s', async (given, kept) => {
    const response = await fetch(`${gateway.url}/v1/echo`, { headers: { 'x-request-id': given } });
    const id = response.headers.get('x-request-id')!;
    if (kept) expect(id).toBe(given);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstream.received.at(-1)!.headers['x-request-id']).toBe(id);
  });

  it('replaces X-Forwarded-* from an untrusted client with what the gateway sees', async () => {
    await fetch(`${gateway.url}/v1/echo`, { headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.test' } });
    const sent = upstream.received.at(-1)!.headers;
    expect(sent['x-forwarded-for']).toBe('127.0.0.1');
    expect(sent['x-forwarded-proto']).toBe('http');
    expect(sent['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
  });

  it('extends X-Forwarded-For from a trusted proxy', async () => {
    const { table } = compileMapping(MAPPING(upstream.url));
    const behindProxy = await startGateway({ table: table!, trustedProxies: ['127.0.0.0/8'] });
    try {
      await fetch(`${behindProxy.url}/v1/echo`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
      const sent = upstream.received.at(-1)!.headers;
      expect(sent['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
      expect(sent['x-forwarded-proto']).toBe('https');
    } finally {
      await behindProxy.close();
    }
  });
});

describe('metrics client labels', () => {
  it('a flood of 100 junk client ids does not push a real client into "other"', () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    for (let i = 0; i < 100; i++) metrics.exchange({ endpoint: 'echo', client: `junk-${i}`, status: 200, seconds: 0.001 });
    for (let i = 0; i < 60; i++) metrics.exchange({ endpoint: 'echo', client: 'mobile-app', status: 200, seconds: 0.001 });
    return metrics.registry.metrics().then((text) => {
      expect(text).toContain('api_compat_legacy_requests_total{endpoint="echo",client="mobile-app",status="200"} 11');
      expect(text).not.toContain('junk-');
    });
  });

  it('with an allow list, only listed clients get a label', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false, clients: ['billing'] });
    metrics.exchange({ endpoint: 'echo', client: 'billing', status: 200, seconds: 0.001 });
    metrics.exchange({ endpoint: 'echo', client: 'someone', status: 200, seconds: 0.001 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('client="billing",status="200"} 1');
    expect(text).toContain('client="other",status="200"} 1');
  });
});

describe('the admin port', () => {
  it('needs the bearer token for /metrics and /routes, not for the probes', async () => {
    const admin = await listen(createAdminApp(gateway.gateway, new GatewayMetrics({ processMetrics: false }), { draining: false }, { token: 's3cret' }));
    try {
      expect((await fetch(`${admin.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${admin.url}/readyz`)).status).toBe(200);
      const refused = await fetch(`${admin.url}/routes`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('Bearer');
      expect((await fetch(`${admin.url}/metrics`, { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
      expect((await fetch(`${admin.url}/routes`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
      expect((await fetch(`${admin.url}/shadow`)).status).toBe(401);
      const shadow = await fetch(`${admin.url}/shadow`, { headers: { authorization: 'Bearer s3cret' } });
      expect(await shadow.json()).toMatchObject({ endpoints: {}, queued: 0, running: 0 });
    } finally {
      await admin.close();
    }
  });
});
