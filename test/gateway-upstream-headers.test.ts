import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { CompiledTable } from '../src/core/mapping/compiled.js';
import type { EndpointDocument, MappingDocument } from '../src/core/model/mapping.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { rolloutOf } from '../src/server/rollout.js';
import { json, startRecordingUpstream, type RecordedRequest } from './support/recording-upstream.js';

/*
 * Which of a client's headers reach v2, over real sockets with a recording v2 (and v1) on
 * loopback: credentials only when the mapping says so, allow and deny lists, per-endpoint
 * overrides, hot reload; the legacy API still gets the request untouched.
 */

type Recording = Awaited<ReturnType<typeof startRecordingUpstream>>;
let v1: Recording;
let v2: Recording;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  v1 = await startRecordingUpstream(() => json({ side: 'v1' }));
  v2 = await startRecordingUpstream(() => json({ side: 'v2' }));
});
afterAll(async () => {
  await v1?.close();
  await v2?.close();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A client's request with credentials, custom headers and a few standard ones. */
const CLIENT_HEADERS = {
  authorization: 'Bearer client-token',
  cookie: 'session=abc',
  accept: 'application/json',
  'user-agent': 'billing-batch/2.1',
  'x-tenant-id': 't-7',
  'x-tenant-region': 'eu',
  'x-debug-trace': 'on',
  'x-internal': 'yes',
  'x-request-id': 'req-77',
};

function table(document: Partial<MappingDocument> & { endpoints: EndpointDocument[] }): CompiledTable {
  const { table: compiled, diagnostics } = compileMapping({ name: 'headers', upstream: v2.url, legacy: v1.url, ...document });
  if (!compiled) throw new Error(JSON.stringify(diagnostics));
  return compiled;
}

async function gatewayFor(document: Partial<MappingDocument> & { endpoints: EndpointDocument[] }): Promise<RunningGateway> {
  const gateway = await startGateway({ table: table(document), rollout: rolloutOf({ name: 'headers', upstream: v2.url, ...document }) });
  cleanups.push(() => gateway.close());
  return gateway;
}

/** Sends one request through the gateway and returns what v2 (or v1) received. */
async function sent(gateway: RunningGateway, path: string, init: RequestInit = {}, side: Recording = v2): Promise<RecordedRequest> {
  const before = side.received.length;
  const response = await fetch(`${gateway.url}${path}`, { ...init, headers: { ...CLIENT_HEADERS, ...(init.headers as Record<string, string>) } });
  expect(response.status, await response.clone().text()).toBe(200);
  await response.arrayBuffer();
  expect(side.received.length).toBe(before + 1);
  return side.received.at(-1)!;
}

const ECHO: EndpointDocument = { id: 'echo', v1: 'GET /v1/echo', v2: 'GET /v2/echo' };
const CREATE: EndpointDocument = { id: 'create', v1: 'POST /v1/items', v2: 'POST /v2/items', request: [{ rename: { from: 'body.name', to: 'body.title' } }] };

describe('by default', () => {
  it('keeps Authorization and Cookie from v2 and passes every other end-to-end header', async () => {
    const gateway = await gatewayFor({ endpoints: [ECHO, CREATE] });
    for (const request of [await sent(gateway, '/v1/echo'), await sent(gateway, '/v1/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n"}' })]) {
      expect(request.headers).not.toHaveProperty('authorization');
      expect(request.headers).not.toHaveProperty('cookie');
      expect(request.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'billing-batch/2.1', 'x-tenant-id': 't-7', 'x-debug-trace': 'on', 'x-request-id': 'req-77', 'x-forwarded-proto': 'http' });
      expect(request.headers['x-forwarded-for']).toBe('127.0.0.1');
    }
    expect(JSON.parse(v2.received.at(-1)!.body)).toEqual({ title: 'n' });
    expect(v2.received.at(-1)!.headers['content-type']).toBe('application/json');
  });

  it('forwards a credential that a request step writes: the mapping said so', async () => {
    const gateway = await gatewayFor({
      endpoints: [
        { ...ECHO, request: [{ set: { path: 'headers.authorization', value: '${request.headers.authorization}' } }] },
        { id: 'api-key', v1: 'GET /v1/keyed', v2: 'GET /v2/keyed', request: [{ set: { path: 'headers.authorization', value: 'Bearer ${request.headers.x-api-key}' } }, { remove: 'headers.x-api-key' }] },
      ],
    });
    expect((await sent(gateway, '/v1/echo')).headers.authorization).toBe('Bearer client-token');
    const keyed = await sent(gateway, '/v1/keyed', { headers: { 'x-api-key': 'k-123' } });
    expect(keyed.headers.authorization).toBe('Bearer k-123');
    expect(keyed.headers).not.toHaveProperty('x-api-key');
    expect(keyed.headers).not.toHaveProperty('cookie');
  });
});

describe('upstreamHeaders', () => {
  it('forwards Authorization when allow names it, and only the credentials it names', async () => {
    const gateway = await gatewayFor({ upstreamHeaders: { allow: ['*', 'authorization'] }, endpoints: [ECHO] });
    const request = await sent(gateway, '/v1/echo');
    expect(request.headers.authorization).toBe('Bearer client-token');
    expect(request.headers).not.toHaveProperty('cookie');
    expect(request.headers['x-internal']).toBe('yes');
  });

  it('deny strips the names and prefixes it lists, case-insensitively', async () => {
    const gateway = await gatewayFor({ upstreamHeaders: { deny: ['X-Debug-*', 'X-Internal'] }, endpoints: [ECHO] });
    const request = await sent(gateway, '/v1/echo');
    expect(request.headers).not.toHaveProperty('x-debug-trace');
    expect(request.headers).not.toHaveProperty('x-internal');
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.headers).toMatchObject({ 'x-tenant-id': 't-7', accept: 'application/json' });
  });

  it('allow keeps only the listed headers, besides those the gateway sets and the body needs', async () => {
    const gateway = await gatewayFor({ upstreamHeaders: { allow: ['accept', 'x-tenant-*'] }, endpoints: [CREATE] });
    const request = await sent(gateway, '/v1/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n"}' });
    const clientNames = Object.keys(request.headers).filter((name) => !['host', 'connection', 'content-length', 'content-type', 'accept-encoding'].includes(name) && !name.startsWith('x-forwarded-'));
    expect(clientNames.sort()).toEqual(['accept', 'x-request-id', 'x-tenant-id', 'x-tenant-region']);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(JSON.parse(request.body)).toEqual({ title: 'n' });
  });

  it('an endpoint overrides the mapping key by key', async () => {
    const gateway = await gatewayFor({
      upstreamHeaders: { deny: ['x-debug-*'] },
      endpoints: [ECHO, { id: 'private', v1: 'GET /v1/private', v2: 'GET /v2/private', upstreamHeaders: { allow: ['*', 'authorization'] } }],
    });
    const plain = await sent(gateway, '/v1/echo');
    expect(plain.headers).not.toHaveProperty('authorization');
    expect(plain.headers).not.toHaveProperty('x-debug-trace');
    const overridden = await sent(gateway, '/v1/private');
    expect(overridden.headers.authorization).toBe('Bearer client-token');
    // The mapping's deny still holds: the endpoint replaced allow only.
    expect(overridden.headers).not.toHaveProperty('x-debug-trace');
  });

  it('supporting calls carry what the policy let through, credentials included when allowed', async () => {
    const gateway = await gatewayFor({
      endpoints: [
        {
          id: 'with-owner',
          v1: 'GET /v1/orders/{id}',
          v2: 'GET /v2/orders/{id}',
          upstreamHeaders: { allow: ['accept', 'authorization'] },
          calls: [{ id: 'owner', v2: 'GET /v2/orders/{id}/owner', merge: [{ from: 'body.side', to: 'body.owner_side' }] }],
        },
      ],
    });
    const before = v2.received.length;
    const response = await fetch(`${gateway.url}/v1/orders/5`, { headers: CLIENT_HEADERS });
    expect(await response.json()).toEqual({ side: 'v2', owner_side: 'v2' });
    const calls = v2.received.slice(before);
    expect(calls.map((request) => request.rawTarget).sort()).toEqual(['/v2/orders/5', '/v2/orders/5/owner']);
    for (const call of calls) {
      expect(call.headers).toMatchObject({ authorization: 'Bearer client-token', accept: 'application/json', 'x-request-id': 'req-77' });
      for (const name of ['cookie', 'user-agent', 'x-tenant-id']) expect(call.headers).not.toHaveProperty(name);
    }
  });

  it('a hot reload switches the policy for the next request', async () => {
    const gateway = await gatewayFor({ endpoints: [ECHO] });
    expect((await sent(gateway, '/v1/echo')).headers).not.toHaveProperty('authorization');
    gateway.gateway.reload(table({ upstreamHeaders: { allow: ['*', 'authorization'] }, endpoints: [ECHO] }));
    expect((await sent(gateway, '/v1/echo')).headers.authorization).toBe('Bearer client-token');
    gateway.gateway.reload(table({ endpoints: [ECHO] }));
    expect((await sent(gateway, '/v1/echo')).headers).not.toHaveProperty('authorization');
  });
});

describe('the legacy API', () => {
  it('gets the request untouched in legacy mode and as the answering side of shadow; the v2 side of shadow and split follows the policy', async () => {
    const gateway = await gatewayFor({
      upstreamHeaders: { deny: ['x-internal'] },
      endpoints: [
        { ...ECHO, mode: 'legacy' },
        { id: 'shadowed', v1: 'GET /v1/shadowed', v2: 'GET /v2/shadowed', mode: 'shadow' },
        { id: 'split', v1: 'GET /v1/split', v2: 'GET /v2/split', mode: { split: '100%' } },
      ],
    });
    const legacy = await sent(gateway, '/v1/echo', {}, v1);
    expect(legacy.headers).toMatchObject({ authorization: 'Bearer client-token', cookie: 'session=abc', 'x-internal': 'yes' });

    const before = v2.received.length;
    const shadowLegacy = await sent(gateway, '/v1/shadowed', {}, v1);
    expect(shadowLegacy.headers).toMatchObject({ authorization: 'Bearer client-token', cookie: 'session=abc' });
    await gateway.gateway.shadow.idle();
    expect(v2.received.length).toBe(before + 1);
    const shadowV2 = v2.received.at(-1)!;
    expect(shadowV2.rawTarget).toBe('/v2/shadowed');
    expect(shadowV2.headers).not.toHaveProperty('authorization');
    expect(shadowV2.headers).not.toHaveProperty('cookie');
    expect(shadowV2.headers).not.toHaveProperty('x-internal');

    const split = await sent(gateway, '/v1/split');
    expect(split.headers).not.toHaveProperty('authorization');
    expect(split.headers).not.toHaveProperty('x-internal');
  });
});
