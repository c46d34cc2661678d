import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryIo } from './support/cli-harness.js';
import { KNOWLEDGE_MAPPING } from './support/example-stack.js';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument } from '../src/core/model/mapping.js';
import { createAdminApp, GatewayMetrics } from '../src/server/admin.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { listen, type ListeningServer } from '../src/server/listen.js';
import { circuitAwareReadiness } from '../src/server/readiness.js';
import { CircuitBreaker, type CircuitBreakerOptions } from '../src/upstream/circuit-breaker.js';
import { CompatError } from '../src/core/errors.js';

/*
 * The optional circuit breaker per upstream: a real v2 on loopback is stopped (connections
 * refused) and started again on the same port. After N failures in a row the gateway stops
 * calling it and answers 503 upstream-unavailable with Retry-After at once; after the cool-down
 * one probe goes through and its success closes the circuit. Without --circuit-breaker nothing
 * of this happens. The state transitions themselves are checked on a fake clock.
 */

const MAPPING = (upstream: string): MappingDocument => ({
  name: 'breaker',
  upstream,
  endpoints: [
    { id: 'get-item', v1: 'GET /v1/items/{id}', v2: 'GET /v2/items/{id}', response: [{ unwrap: 'body.data' }] },
    { id: 'stream-item', v1: 'GET /v1/raw/{id}', v2: 'GET /v2/items/{id}' },
  ],
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A v2 that can be stopped and started again on the same port, counting what reaches it. */
async function restartableV2(status = { code: 200 }) {
  let hits = 0;
  const app = new Hono();
  app.get('/v2/items/:id', (c) => {
    hits++;
    return status.code >= 500 ? c.json({ type: 'about:blank', title: 'down' }, status.code as 503) : c.json({ data: { id: c.req.param('id') } });
  });
  let server: ListeningServer | undefined = await listen(app);
  const port = Number(new URL(server.url).port);
  const url = server.url;
  cleanups.push(async () => server?.close());
  return {
    url,
    hits: () => hits,
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    start: async () => {
      server = await listen(app, { port, host: '127.0.0.1' });
    },
  };
}

async function gatewayTo(url: string, circuitBreaker?: CircuitBreakerOptions): Promise<RunningGateway> {
  const { table } = compileMapping(MAPPING(url));
  const gateway = await startGateway({ table: table!, upstreamOptions: { retries: 0, ...(circuitBreaker ? { circuitBreaker } : {}) } });
  cleanups.push(() => gateway.close());
  return gateway;
}

async function get(url: string): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const response = await fetch(url);
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code, retryAfter: response.headers.get('retry-after') };
}

/** Polls (bounded) until the breaker lets a probe through, instead of sleeping a fixed time. */
async function untilHalfOpen(gateway: RunningGateway): Promise<void> {
  for (let i = 0; i < 200 && gateway.gateway.upstreamClient.circuitState !== 'half-open'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(gateway.gateway.upstreamClient.circuitState).toBe('half-open');
}

describe('the circuit breaker on a real upstream', () => {
  it('opens after N refused connections, answers 503 at once without calling v2, and closes after recovery', async () => {
    const v2 = await restartableV2();
    const gateway = await gatewayTo(v2.url, { failures: 3, windowMs: 60_000, cooldownMs: 300, countServerErrors: false });
    expect((await get(`${gateway.url}/v1/items/1`)).status).toBe(200);
    await v2.stop();
    for (let i = 0; i < 3; i++) expect(await get(`${gateway.url}/v1/items/1`)).toMatchObject({ status: 502, code: 'upstream-unreachable' });
    expect(gateway.gateway.upstreamClient.circuitState).toBe('open');

    // v2 is back, but the circuit is open: the gateway does not try it, streamed endpoints included.
    await v2.start();
    const before = v2.hits();
    expect(await get(`${gateway.url}/v1/items/1`)).toEqual({ status: 503, code: 'upstream-unavailable', retryAfter: '1' });
    expect(await get(`${gateway.url}/v1/raw/1`)).toMatchObject({ status: 503, code: 'upstream-unavailable' });
    expect(v2.hits()).toBe(before);

    await untilHalfOpen(gateway);
    expect(await get(`${gateway.url}/v1/items/1`)).toMatchObject({ status: 200 });
    expect(gateway.gateway.upstreamClient.circuitState).toBe('closed');
    expect(v2.hits()).toBe(before + 1);
    expect((await get(`${gateway.url}/v1/raw/2`)).status).toBe(200);
  });

  it('opens again when the half-open probe fails', async () => {
    const v2 = await restartableV2();
    const gateway = await gatewayTo(v2.url, { failures: 2, windowMs: 60_000, cooldownMs: 200, countServerErrors: false });
    await v2.stop();
    for (let i = 0; i < 2; i++) expect((await get(`${gateway.url}/v1/items/1`)).status).toBe(502);
    await untilHalfOpen(gateway);
    expect(await get(`${gateway.url}/v1/items/1`)).toMatchObject({ status: 502, code: 'upstream-unreachable' });
    expect(gateway.gateway.upstreamClient.circuitState).toBe('open');
    expect((await get(`${gateway.url}/v1/items/1`)).code).toBe('upstream-unavailable');
  });

  it('counts 5xx answers only when told to', async () => {
    const status = { code: 503 };
    const v2 = await restartableV2(status);
    const lenient = await gatewayTo(v2.url, { failures: 2, windowMs: 60_000, cooldownMs: 60_000, countServerErrors: false });
    for (let i = 0; i < 4; i++) expect((await get(`${lenient.url}/v1/items/1`)).status).toBe(503);
    expect(lenient.gateway.upstreamClient.circuitState).toBe('closed');
    const strict = await gatewayTo(v2.url, { failures: 2, windowMs: 60_000, cooldownMs: 60_000, countServerErrors: true });
    for (let i = 0; i < 2; i++) await get(`${strict.url}/v1/items/1`);
    const before = v2.hits();
    expect((await get(`${strict.url}/v1/items/1`)).code).toBe('upstream-unavailable');
    expect(v2.hits()).toBe(before);
  });

  it('is off by default: every request tries v2, and the first after recovery succeeds', async () => {
    const v2 = await restartableV2();
    const gateway = await gatewayTo(v2.url);
    await v2.stop();
    for (let i = 0; i < 10; i++) expect((await get(`${gateway.url}/v1/items/1`)).code).toBe('upstream-unreachable');
    await v2.start();
    expect((await get(`${gateway.url}/v1/items/1`)).status).toBe(200);
    expect(gateway.gateway.circuitStates()).toEqual([{ upstream: 'v2', state: 'closed' }]);
  });

  it('shows its state in /metrics and takes the copy out of /readyz while open', async () => {
    const v2 = await restartableV2();
    const gateway = await gatewayTo(v2.url, { failures: 1, windowMs: 60_000, cooldownMs: 60_000, countServerErrors: false });
    const metrics = new GatewayMetrics({ processMetrics: false });
    metrics.watchCircuits(() => gateway.gateway.circuitStates());
    const ready = circuitAwareReadiness(async () => ({ ready: true }), () => gateway.gateway.upstreamClient.circuitState);
    const admin = await listen(createAdminApp(gateway.gateway, metrics, { draining: false }, { ready }));
    cleanups.push(() => admin.close());
    expect(await metrics.registry.metrics()).toContain('api_compat_upstream_circuit_state{upstream="v2"} 0');
    expect((await fetch(`${admin.url}/readyz`)).status).toBe(200);
    await v2.stop();
    await get(`${gateway.url}/v1/items/1`);
    expect(await metrics.registry.metrics()).toContain('api_compat_upstream_circuit_state{upstream="v2"} 2');
    const readyz = await fetch(`${admin.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: 'not-ready', reason: 'upstream circuit open (it kept failing)' });
  });
});

describe('serve --circuit-breaker', () => {
  it('is set from API_COMPAT_CIRCUIT_BREAKER like every serve flag, and reaches the gateway and /metrics', async () => {
    const v2 = await restartableV2();
    await v2.stop();
    vi.stubEnv('API_COMPAT_CIRCUIT_BREAKER', '2');
    const terminal = memoryIo();
    const running = main(['serve', '--mapping', KNOWLEDGE_MAPPING, '--port', '0', '--admin-port', '0', '--no-watch', '--upstream', v2.url, '--circuit-cooldown', '60000'], terminal.io);
    vi.unstubAllEnvs();
    try {
      let listening: { url: string; admin: string } | undefined;
      for (let i = 0; i < 400 && !listening; i++) {
        const line = terminal.output.stderr.split('\n').find((text) => text.includes('"gateway listening"'));
        listening = line ? (JSON.parse(line) as { url: string; admin: string }) : undefined;
        if (!listening) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(listening).toBeDefined();
      for (let i = 0; i < 2; i++) expect((await get(`${listening!.url}/tasks/1`)).code).toBe('upstream-unreachable');
      expect(await get(`${listening!.url}/tasks/1`)).toMatchObject({ status: 503, code: 'upstream-unavailable', retryAfter: '60' });
      const scrape = await (await fetch(`${listening!.admin}/metrics`)).text();
      expect(scrape).toContain('api_compat_upstream_circuit_state{upstream="v2"} 2');
      expect((await fetch(`${listening!.admin}/readyz`)).status).toBe(503);
    } finally {
      terminal.stop();
      expect(await running).toBe(0);
    }
  });
});

describe('the circuit breaker, state by state (fake clock)', () => {
  const unreachable = new CompatError('upstream-unreachable', 'refused');
  function breaker(overrides: Partial<CircuitBreakerOptions> = {}) {
    const clock = { now: 0 };
    const circuit = new CircuitBreaker({ failures: 3, windowMs: 1_000, cooldownMs: 5_000, countServerErrors: false, now: () => clock.now, ...overrides });
    const fail = () => circuit.record(circuit.outcomeOfError(unreachable), circuit.admit());
    return { circuit, clock, fail };
  }

  it('needs the failures in a row and within the window', () => {
    const { circuit, clock, fail } = breaker();
    fail();
    fail();
    circuit.record('success', circuit.admit());
    fail();
    fail();
    expect(circuit.state).toBe('closed');
    clock.now = 1_500;
    fail();
    expect(circuit.state).toBe('closed');
    fail();
    fail();
    expect(circuit.state).toBe('open');
  });

  it('says when to retry, lets exactly one probe through after the cool-down, and ignores a client that left', () => {
    const { circuit, clock, fail } = breaker();
    for (let i = 0; i < 3; i++) fail();
    clock.now = 1_200;
    expect(() => circuit.admit()).toThrow(expect.objectContaining({ code: 'upstream-unavailable', status: 503, headers: { 'retry-after': '4' } }));
    clock.now = 5_000;
    expect(circuit.state).toBe('half-open');
    expect(circuit.admit()).toBe(true);
    expect(() => circuit.admit()).toThrow(expect.objectContaining({ code: 'upstream-unavailable' }));
    // The probe's client went away: no verdict, the next request probes instead.
    circuit.record(circuit.outcomeOfError(new CompatError('client-closed-request', 'gone')), true);
    expect(circuit.admit()).toBe(true);
    circuit.record('success', true);
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toBe(false);
  });

  it('does not let late failures of requests admitted before it opened extend the cool-down', () => {
    const { circuit, clock, fail } = breaker({ failures: 1 });
    const early = circuit.admit();
    fail();
    clock.now = 4_000;
    circuit.record('failure', early);
    clock.now = 5_000;
    expect(circuit.state).toBe('half-open');
  });
});
