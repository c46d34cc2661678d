import { Hono } from 'hono';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Gateway } from './gateway.js';
import type { ExchangeObservation, GatewayObserver } from './observer.js';

/** Distinct client labels kept before the rest are counted as "other" (label cardinality). */
const MAX_CLIENTS = 100;

/**
 * Prometheus metrics for the gateway. `api_compat_legacy_requests_total` per endpoint and client
 * is what tells a team when v1 traffic has stopped and v1 can be switched off.
 */
export class GatewayMetrics implements GatewayObserver {
  readonly registry = new Registry();
  private readonly clients = new Set<string>();
  private readonly requests = new Counter({
    name: 'api_compat_legacy_requests_total',
    help: 'v1 requests served, per mapped endpoint (or legacy/unmatched), client and status code',
    labelNames: ['endpoint', 'client', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'api_compat_request_duration_seconds',
    help: 'Time to answer a v1 request, translation and upstream calls included',
    labelNames: ['endpoint'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly problems = new Counter({
    name: 'api_compat_problems_total',
    help: 'Requests answered with a gateway problem: upstream errors (upstream-*) and translation failures (*-not-translatable)',
    labelNames: ['endpoint', 'code'] as const,
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'api_compat_mapping_reloads_total',
    help: 'Mapping file reloads, by result (applied or rejected)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  exchange(observation: ExchangeObservation): void {
    let client = observation.client;
    if (!this.clients.has(client)) {
      if (this.clients.size >= MAX_CLIENTS) client = 'other';
      else this.clients.add(client);
    }
    this.requests.inc({ endpoint: observation.endpoint, client, status: String(observation.status) });
    this.duration.observe({ endpoint: observation.endpoint }, observation.seconds);
    if (observation.problem) this.problems.inc({ endpoint: observation.endpoint, code: observation.problem });
  }
}

/**
 * The admin port: /metrics, /healthz (the process is up), /readyz (a table is loaded and not
 * draining), /routes (what the current table maps). Serve it on a port not exposed to clients.
 */
export function createAdminApp(gateway: Gateway, metrics: GatewayMetrics, state: { draining: boolean }): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => (state.draining ? c.json({ status: 'draining' }, 503) : c.json({ status: 'ready', mapping: gateway.table.name })));
  app.get('/routes', (c) =>
    c.json({
      mapping: gateway.table.name,
      upstream: gateway.upstreamUrl,
      legacy: gateway.legacyUrl ?? null,
      endpoints: gateway.table.endpoints.map((endpoint) => ({
        id: endpoint.id,
        v1: `${endpoint.v1.method} ${endpoint.v1.template}`,
        v2: endpoint.v2 ? `${endpoint.v2.method} ${endpoint.v2.template}` : null,
        removed: endpoint.removed ?? null,
        calls: endpoint.calls.map((call) => `${call.route.method} ${call.route.template}`),
        streamed: !endpoint.readsRequestBody && !endpoint.readsResponseBody && endpoint.calls.length === 0,
      })),
    }),
  );
  return app;
}
