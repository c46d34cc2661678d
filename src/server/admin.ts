import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type Next } from 'hono';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../upstream/circuit-breaker.js';
import type { Gateway } from './gateway.js';
import type { ExchangeObservation, GatewayObserver } from './observer.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';
import { NothingShadowed, shadowReportOf } from './shadow-report.js';

const CIRCUIT_VALUES: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Distinct client labels kept before the rest are counted as "other" (label cardinality). */
const MAX_CLIENTS = 100;
/** Without an allow list, requests a client name needs before it gets a label of its own. */
const DEFAULT_PROMOTE_AFTER = 50;
/** Names being counted towards promotion at once; past it the count restarts (labels stay). */
const MAX_CANDIDATES = 10_000;

export interface MetricsOptions {
  processMetrics?: boolean;
  /** The client labels to keep; every other client is counted as `other`. */
  clients?: readonly string[];
  /** Without `clients`: how many requests a name must make before it gets its own label. */
  promoteAfter?: number;
}

/**
 * Which client label a request counts under. With an allow list, only listed names. Without
 * one, a name earns a label by steady traffic (`promoteAfter` requests), up to MAX_CLIENTS
 * labels that are never evicted: a flood of one-off junk names stays in `other`, and cannot
 * push the real clients out of their labels.
 */
class ClientLabels {
  private readonly labelled = new Set<string>();
  private readonly candidates = new Map<string, number>();
  private readonly allowed?: ReadonlySet<string>;

  constructor(
    clients: readonly string[] | undefined,
    private readonly promoteAfter: number,
  ) {
    if (clients?.length) this.allowed = new Set(clients);
  }

  labelOf(client: string): string {
    if (this.allowed) return this.allowed.has(client) ? client : 'other';
    if (this.labelled.has(client)) return client;
    if (this.labelled.size >= MAX_CLIENTS) return 'other';
    const seen = (this.candidates.get(client) ?? 0) + 1;
    if (seen < this.promoteAfter) {
      if (this.candidates.size >= MAX_CANDIDATES) this.candidates.clear();
      this.candidates.set(client, seen);
      return 'other';
    }
    this.candidates.delete(client);
    this.labelled.add(client);
    return client;
  }
}

/**
 * Prometheus metrics for the gateway. `api_compat_legacy_requests_total` per endpoint and client
 * is what tells a team when v1 traffic has stopped and v1 can be switched off.
 */
export class GatewayMetrics implements GatewayObserver {
  readonly registry = new Registry();
  private readonly clients: ClientLabels;
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
  private readonly shadowResults = new Counter({
    name: 'api_compat_shadow_comparisons_total',
    help: 'Shadow comparisons of legacy answers with translated v2 answers, by endpoint and result (match, mismatch, error, dropped)',
    labelNames: ['endpoint', 'result'] as const,
    registers: [this.registry],
  });
  private circuitSource?: () => ReadonlyArray<{ upstream: string; state: CircuitState }>;
  private readonly circuits = new Gauge({
    name: 'api_compat_upstream_circuit_state',
    help: 'Circuit breaker per upstream (serve --circuit-breaker): 0 closed, 1 half-open (one probe may pass), 2 open (requests answered 503 at once)',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
    // Read at scrape time: the breakers keep their own state, nothing is updated per request.
    collect: () => {
      for (const { upstream, state } of this.circuitSource?.() ?? []) this.circuits.set({ upstream }, CIRCUIT_VALUES[state]);
    },
  });
  readonly reloads = new Counter({
    name: 'api_compat_mapping_reloads_total',
    help: 'Mapping file reloads, by result (applied or rejected)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    this.clients = new ClientLabels(options.clients, options.promoteAfter ?? DEFAULT_PROMOTE_AFTER);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  exchange(observation: ExchangeObservation): void {
    const client = this.clients.labelOf(observation.client);
    this.requests.inc({ endpoint: observation.endpoint, client, status: String(observation.status) });
    this.duration.observe({ endpoint: observation.endpoint }, observation.seconds);
    if (observation.problem) this.problems.inc({ endpoint: observation.endpoint, code: observation.problem });
  }

  /** Reports the circuit breakers' states (`v2`, `legacy`) on every scrape. */
  watchCircuits(source: () => ReadonlyArray<{ upstream: string; state: CircuitState }>): void {
    this.circuitSource = source;
  }

  shadow(endpoint: string, result: 'match' | 'mismatch' | 'error' | 'dropped'): void {
    this.shadowResults.inc({ endpoint, result });
  }
}

export interface AdminOptions {
  /** When set, every admin route but the probes needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Readiness beyond "a table is loaded and not draining", e.g. an upstream being reachable. */
  ready?: () => Promise<{ ready: boolean; reason?: string }>;
}

/**
 * The admin port: /metrics, /healthz (the process is up), /readyz (a table is loaded, not
 * draining, and, unless turned off, v2 reachable), /routes (what the current table maps). It
 * binds to loopback unless told otherwise, and a token guards all but the probes, which
 * orchestrators call without credentials.
 */
export function createAdminApp(gateway: Gateway, metrics: GatewayMetrics, state: { draining: boolean }, options: AdminOptions = {}): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (state.draining) return c.json({ status: 'draining' }, 503);
    const check = options.ready ? await options.ready() : { ready: true };
    if (!check.ready) return c.json({ status: 'not-ready', reason: check.reason }, 503);
    return c.json({ status: 'ready', mapping: gateway.table.name });
  });
  if (options.token) app.use('*', bearerToken(options.token));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  app.get('/shadow', (c) => c.json(gateway.shadow.summary()));
  // The shadow traffic so far as a checker report (schemas/report.schema.json); `api-compat shadow-report` writes it to disk.
  app.get('/shadow/report', async (c) => {
    try {
      return c.json(await shadowReportOf(gateway));
    } catch (error) {
      if (!(error instanceof NothingShadowed)) throw error;
      const body = problemBody('nothing-shadowed', `${error.message}: set mode: shadow on the endpoints to compare and let the gateway reload the mapping`);
      return c.body(JSON.stringify(body), 404, { 'content-type': PROBLEM_CONTENT_TYPE });
    }
  });
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
        mode: gateway.rollout?.get(endpoint.id) ?? { kind: 'translate' },
      })),
    }),
  );
  return app;
}

/** RFC 6750 bearer token check, compared in constant time. */
function bearerToken(token: string) {
  const expected = Buffer.from(token);
  return async (c: Context, next: Next) => {
    const given = Buffer.from(/^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    const body = problemBody('admin-unauthorized', 'send Authorization: Bearer <token> with the token the gateway was started with');
    return c.body(JSON.stringify(body), 401, { 'content-type': PROBLEM_CONTENT_TYPE, 'www-authenticate': 'Bearer realm="api-compat admin"' });
  };
}
