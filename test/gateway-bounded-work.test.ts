import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument } from '../src/core/model/mapping.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { listen, type ListeningServer } from '../src/server/listen.js';
import { sendBody } from './support/raw-http.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * Bounded work per request, over real sockets: a hostile body costs the gateway a refusal, not a
 * parse and a translation of megabytes, and a v2 answer it cannot translate is a 502, never a
 * crash or a pass-through. Deadlines and cancellation against a faulty v2 are in
 * gateway-faults.test.ts; the memory budget and the per-upstream queue in gateway-overload.test.ts.
 */

const MiB = 1024 * 1024;

const MAPPING = (upstream: string): MappingDocument => ({
  name: 'bounded work',
  upstream,
  endpoints: [
    { id: 'create-item', v1: 'POST /v1/items', v2: 'POST /v2/items', request: [{ move: { from: 'body.name', to: 'body.title' } }] },
    { id: 'list-items', v1: 'GET /v1/items', v2: 'GET /v2/items', response: [{ unwrap: 'body.data' }] },
    { id: 'page', v1: 'GET /v1/page', v2: 'GET /v2/html', response: [{ unwrap: 'body.data' }] },
    { id: 'deep', v1: 'GET /v1/deep', v2: 'GET /v2/deep', response: [{ unwrap: 'body.data' }] },
    { id: 'noted', v1: 'GET /v1/noted', v2: 'GET /v2/noted', response: [{ header: { name: 'x-note', from: 'body.note' } }] },
  ],
});

let upstream: ListeningServer;
let gateway: RunningGateway;
const received: Array<{ path: string; body: string; headers: Record<string, string> }> = [];

function deepJson(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

beforeAll(async () => {
  const app = new Hono();
  app.post('/v2/items', async (c) => {
    const body = await c.req.text();
    received.push({ path: '/v2/items', body, headers: Object.fromEntries(c.req.raw.headers) });
    return c.json({ ok: true, received: body.length }, 201);
  });
  app.get('/v2/items', (c) => c.json({ data: [{ id: 1 }] }));
  app.get('/v2/html', (c) => c.html('<html><body>maintenance</body></html>'));
  app.get('/v2/deep', (c) => c.body(`{"data":${deepJson(5_000)}}`, 200, { 'content-type': 'application/json' }));
  app.get('/v2/noted', (c) => c.json({ note: 'line one\r\nx-injected: yes' }));
  upstream = await listen(app);
  const { table } = compileMapping(MAPPING(upstream.url));
  gateway = await startGateway({ table: table!, upstreamOptions: { bodyLimit: 12 * MiB } });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const jsonHeaders = { 'content-type': 'application/json' };

describe('bodies an endpoint cannot translate are refused before they are read', () => {
  it('answers 415 to a text/plain body on an endpoint that translates JSON, without reading it', async () => {
    const before = received.length;
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', { 'content-type': 'text/plain', 'content-length': String(9 * MiB) }, Buffer.alloc(9 * MiB, 0x61));
    expect(answer.status).toBe(415);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'unsupported-media-type', status: 415 });
    expect(received.length).toBe(before);
  });

  it('stops reading a refused body the client goes on sending: the answer arrives, then the connection closes', async () => {
    // An 8 GiB text/plain upload on a raw connection (more than loopback carries in the time
    // allowed): after the 415 the gateway discards what arrives for a bounded time (0.5 s,
    // @hono/node-server's drain) and then closes, rather than reading the whole body until
    // node's five-minute request timeout.
    const declared = 8 * 1024 * MiB;
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    let answeredAt = 0;
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      answeredAt ||= performance.now();
    });
    socket.on('error', () => undefined);
    // Not events.once: it would reject on the EPIPE the client gets for writing past the close.
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`POST /v1/items HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/plain\r\nContent-Length: ${declared}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (sent < declared && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
    const giveUp = setTimeout(() => socket.destroy(), 20_000);
    await closed;
    const closedAfterAnswer = performance.now() - answeredAt;
    clearTimeout(giveUp);
    expect(answer).toMatch(/^HTTP\/1\.1 415 /);
    expect(sent).toBeLessThan(declared);
    expect(closedAfterAnswer).toBeLessThan(5_000);
  });

  it.each([
    ['5,000 levels of nesting', deepJson(5_000), 'maxDepth'],
    ['an object with 600,000 keys', `{${Array.from({ length: 600_000 }, (_, i) => `"k${i}":0`).join(',')}}`, 'maxKeys'],
    ['an array of 200,000 elements', `{"name":[${'0,'.repeat(199_999)}0]}`, 'maxArrayLength'],
    ['one 3 MiB string', `{"name":"${'x'.repeat(3 * MiB)}"}`, 'maxStringBytes'],
    ['120,000 values in twelve arrays, each within the array limit', `{"name":[${Array.from({ length: 12 }, () => `[${'0,'.repeat(9_999)}0]`).join(',')}]}`, 'maxValues'],
  ])('answers 400 request-body-too-complex to %s', async (_name, body, limit) => {
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', jsonHeaders, Buffer.from(body));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'request-body-too-complex', limit });
  });

  it('answers in v1\'s error shape where the mapping says gatewayErrors: v1 (the catalog)', async () => {
    const catalogUpstream = await startRecordingUpstream(() => json({ data: {} }));
    const { table: catalog } = await loadMappingFile(fileURLToPath(new URL('../mappings/catalog.yaml', import.meta.url)), { env: { V2_URL: catalogUpstream.url, V1_URL: '' } });
    const catalogGateway = await startGateway({ table: catalog });
    try {
      const answer = await sendBody(catalogGateway.url, 'POST', '/products/17/reviews', jsonHeaders, Buffer.from(deepJson(5_000)));
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining('nesting'), status: 400 });
      expect(catalogUpstream.received).toHaveLength(0);
    } finally {
      await catalogGateway.close();
      await catalogUpstream.close();
    }
  });

  it('still translates an ordinary body', async () => {
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', jsonHeaders, Buffer.from('{"name":"a"}'));
    expect(answer.status).toBe(201);
    expect(JSON.parse(received.at(-1)!.body)).toEqual({ title: 'a' });
  });
});

describe('v2 answers the gateway cannot translate are 502, not 500 and not passed on', () => {
  it('a v2 answer nested 5,000 levels deep', async () => {
    const response = await fetch(`${gateway.url}/v1/deep`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'response-body-too-complex' });
  });

  it('a 200 text/html answer on a translated endpoint', async () => {
    const response = await fetch(`${gateway.url}/v1/page`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'response-not-translatable' });
  });

  it('a header built from a v2 field that HTTP cannot carry', async () => {
    const response = await fetch(`${gateway.url}/v1/noted`);
    expect(response.status).toBe(502);
    expect(response.headers.get('x-injected')).toBeNull();
    expect(await response.json()).toMatchObject({ code: 'response-not-translatable' });
  });
});

describe('request content codings (RFC 9110 section 8.4)', () => {
  it('decodes a gzip JSON body and sends v2 plain JSON without the gzip label', async () => {
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', { ...jsonHeaders, 'content-encoding': 'gzip' }, gzipSync('{"name":"zipped"}'));
    expect(answer.status).toBe(201);
    const sent = received.at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({ title: 'zipped' });
    expect(sent.headers['content-encoding']).toBeUndefined();
  });

  it('answers 400 to a body labelled gzip that is not, rather than forwarding it labelled gzip', async () => {
    const before = received.length;
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', { ...jsonHeaders, 'content-encoding': 'gzip' }, Buffer.from('{"name":"plain"}'));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'request-not-json' });
    expect(received.length).toBe(before);
  });

  it('answers 415 with Accept-Encoding to a coding it cannot decode', async () => {
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', { ...jsonHeaders, 'content-encoding': 'compress' }, Buffer.from('xx'));
    expect(answer.status).toBe(415);
    expect(answer.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'unsupported-content-encoding' });
  });

  it('decodes within the body limit: a small gzip body that expands past it is 413', async () => {
    // Whitespace: no shape limit trips before the size limit does.
    const bomb = gzipSync(Buffer.from(`{"name":"a"${' '.repeat(13 * MiB)}}`));
    expect(bomb.length).toBeLessThan(MiB);
    const answer = await sendBody(gateway.url, 'POST', '/v1/items', { ...jsonHeaders, 'content-encoding': 'gzip' }, bomb);
    expect(answer.status).toBe(413);
  });
});
