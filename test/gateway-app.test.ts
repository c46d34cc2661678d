import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CompiledTable } from '../src/core/mapping/compiled.js';
import { createApp } from '../src/server/create-app.js';
import { UpstreamClient } from '../src/upstream/upstream-client.js';
import { loadKnowledgeTable } from './support/example-stack.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function gatewayFor(upstreamUrl: string, options: { bodyLimit?: number; headersTimeout?: number; table?: CompiledTable } = {}) {
  const table = options.table ?? (await loadKnowledgeTable());
  const upstream = new UpstreamClient(upstreamUrl, { bodyLimit: options.bodyLimit, headersTimeout: options.headersTimeout });
  cleanups.push(() => upstream.close());
  return createApp({ table, upstream });
}

const TASK_V2 = { id: '2', name: 'backup', priority: 6, status: 'RUNNING', timeout_seconds: 300, created_at: '2026-01-10T08:05:00.000Z' };

describe('lifecycle headers', () => {
  it('tells every v1 client when v1 was deprecated and when it ends (RFC 9745, RFC 8594)', async () => {
    const upstream = await startRecordingUpstream(() => json(TASK_V2));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/2');
    expect(response.status).toBe(200);
    expect(response.headers.get('deprecation')).toBe(`@${Date.UTC(2026, 5, 1) / 1000}`);
    expect(response.headers.get('sunset')).toBe('Mon, 01 Mar 2027 00:00:00 GMT');
    expect(response.headers.get('link')).toBe('<https://example.com/knowledge/migrate-to-v2>; rel="deprecation"; type="text/html"');
    const problem = await app.request('/nowhere');
    expect(problem.status).toBe(404);
    expect(problem.headers.get('deprecation')).toBe(`@${Date.UTC(2026, 5, 1) / 1000}`);
  });
});

describe('what reaches the upstream', () => {
  it('passes a request id and X-Forwarded-* on, and strips hop-by-hop headers (RFC 9110 7.6.1)', async () => {
    const upstream = await startRecordingUpstream(() => json(TASK_V2));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/2', {
      headers: { 'x-request-id': 'req-123', connection: 'x-private', 'x-private': 'secret', te: 'trailers', 'keep-alive': 'timeout=5', authorization: 'Bearer t', host: 'legacy.example' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const sent = upstream.received[0]!;
    expect(sent.rawTarget).toBe('/api/v2/tasks/2');
    expect(sent.headers['x-request-id']).toBe('req-123');
    // Credentials reach v2 only when the mapping says so (upstreamHeaders.allow, or a step).
    expect(sent.headers).not.toHaveProperty('authorization');
    expect(sent.headers['x-forwarded-host']).toBe('legacy.example');
    expect(sent.headers['x-forwarded-proto']).toBe('http');
    expect(sent.headers).not.toHaveProperty('x-private');
    expect(sent.headers).not.toHaveProperty('te');
    expect(sent.headers).not.toHaveProperty('keep-alive');
  });

  it('generates a request id when the client sends none', async () => {
    const upstream = await startRecordingUpstream(() => json(TASK_V2));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/2');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstream.received[0]!.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
  });

  it.each([
    ['an encoded parent-directory climb', '/tasks/%2E%2E%2Fadmin'],
    ['an encoded slash', '/tasks/1%2F..%2F..%2Fadmin'],
    ['an encoded backslash', '/tasks/1%5Cadmin'],
  ])('refuses a path parameter holding %s, so it cannot reach another v2 route', async (_name, path) => {
    const upstream = await startRecordingUpstream(() => json(TASK_V2));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request(path);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid-path-parameter' });
    expect(upstream.received).toHaveLength(0);
  });

  it('percent-encodes a parameter holding ? or # into one path segment', async () => {
    const upstream = await startRecordingUpstream(() => json(TASK_V2));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    await app.request('/tasks/2%3Fadmin%3Dtrue%23x');
    expect(upstream.received[0]!.rawTarget).toBe('/api/v2/tasks/2%3Fadmin%3Dtrue%23x');
  });

  it('rejects query parameters the search mapping does not know (unmappedQuery: reject)', async () => {
    const upstream = await startRecordingUpstream(() => json({ hits: [], total: 0 }));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/api/v1/search?q=x&sort=desc');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'unknown-query-parameter', parameter: 'sort' });
    expect(upstream.received).toHaveLength(0);
  });

  it('answers 400 for a malformed JSON body on an endpoint that translates bodies', async () => {
    const upstream = await startRecordingUpstream(() => json({}));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'request-not-json' });
  });

  it('answers 413 for a body over the translation limit, before calling v2', async () => {
    const upstream = await startRecordingUpstream(() => json({}));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url, { bodyLimit: 1024 });
    const response = await app.request('/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(4096) }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'request-body-too-large' });
    expect(upstream.received).toHaveLength(0);
  });
});

describe('upstream failures become problem+json with stable codes', () => {
  it('502 upstream-unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const app = await gatewayFor(`http://127.0.0.1:${port}`);
    const response = await app.request('/tasks/2');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'upstream-unreachable', status: 502 });
  });

  it('504 upstream-timeout when v2 does not answer in time', async () => {
    const upstream = await startRecordingUpstream(() => new Promise<Response>((resolve) => setTimeout(() => resolve(json(TASK_V2)), 1500)));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url, { headersTimeout: 200 });
    const response = await app.request('/tasks/2');
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ code: 'upstream-timeout' });
  });

  it('502 response-not-translatable when v2 sends invalid JSON', async () => {
    const upstream = await startRecordingUpstream(() => new Response('{"id": "2", oops', { headers: { 'content-type': 'application/json' } }));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/2');
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'response-not-translatable' });
  });

  it('502 response-not-translatable when a v2 value cannot take the v1 type', async () => {
    const upstream = await startRecordingUpstream(() => json({ ...TASK_V2, id: 'task-two' }));
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/2');
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'response-not-translatable', detail: expect.stringContaining('id') });
  });

  it('502 upstream-call-failed when the supporting call of a two-call endpoint fails', async () => {
    const upstream = await startRecordingUpstream((request) =>
      request.rawTarget.endsWith('/related') ? json({ type: 'x/boom', detail: 'boom' }, 500) : json({ id: '1', title: 't', body: 'b', knowledge_type: 'note', metadata: { tags: [] } }),
    );
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/api/v1/knowledge/1');
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'upstream-call-failed', call: 'related' });
  });

  it('translates an upstream 4xx as a response, not as a gateway failure', async () => {
    const upstream = await startRecordingUpstream(() =>
      json({ type: 'https://api.example.com/problems/not-found', title: 'Not Found', status: 404, detail: 'task 9 not found' }, 404, 'application/problem+json'),
    );
    cleanups.push(() => upstream.close());
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/9');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'task 9 not found' } });
  });
});

describe('retries', () => {
  /** An upstream whose first connection is cut before it answers, as when a backend restarts. */
  async function flakyUpstream(): Promise<{ url: string; attempts: () => number; close: () => Promise<void> }> {
    let attempts = 0;
    const server: Server = createServer((request, response) => {
      attempts += 1;
      if (attempts === 1) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(TASK_V2));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      attempts: () => attempts,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it('retries an idempotent GET once when the connection is cut', async () => {
    const upstream = await flakyUpstream();
    cleanups.push(upstream.close);
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks/2');
    expect(response.status).toBe(200);
    expect(upstream.attempts()).toBe(2);
  });

  it('never retries a POST, which may have had an effect', async () => {
    const upstream = await flakyUpstream();
    cleanups.push(upstream.close);
    const app = await gatewayFor(upstream.url);
    const response = await app.request('/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(response.status).toBe(502);
    expect(upstream.attempts()).toBe(1);
  });
});
