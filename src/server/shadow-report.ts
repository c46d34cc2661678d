import { readFileSync } from 'node:fs';
import type { CompatReport } from '../core/model/report.js';
import { buildShadowReport, shadowReportScope, type ShadowEndpointInput } from '../core/report/shadow-report.js';
import type { ScoringOptions } from '../core/scoring/readiness.js';
import { summarizeLatency } from '../checker/timing.js';
import type { Gateway } from './gateway.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The checker's defaults, so a shadow report's latency judgement means what check's does. */
export const SHADOW_SCORING: ScoringOptions = { performanceThreshold: 2.0, latencyAllowanceMs: 1, directRan: false };

/** How long a report waits for comparisons already queued, so that traffic just sent is in it. */
const SETTLE_MS = 2_000;

/** The gateway serves no endpoint in shadow mode and has no shadow counts: there is nothing to report. */
export class NothingShadowed extends Error {
  constructor() {
    super('the gateway shadows no endpoint: no endpoint of its mapping has mode: shadow, and none has shadow counts');
    this.name = 'NothingShadowed';
  }
}

/**
 * The checker report of a gateway's shadow traffic so far (see src/core/report/shadow-report.ts).
 * Comparisons already queued get a short while to finish first; any still waiting are counted
 * in `run.source.queued`.
 */
export async function shadowReportOf(gateway: Gateway, scoring: ScoringOptions = SHADOW_SCORING): Promise<CompatReport> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([gateway.shadow.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_MS)))]);
  clearTimeout(timer);
  const table = gateway.table;
  const shadowed = table.endpoints.filter((endpoint) => !endpoint.removed && gateway.rollout?.get(endpoint.id)?.kind === 'shadow').map((endpoint) => endpoint.id);
  const endpoints: Record<string, ShadowEndpointInput> = Object.create(null);
  for (const [id, evidence] of Object.entries(gateway.shadow.evidence())) {
    const { latencyMs, ...rest } = evidence;
    endpoints[id] = { ...rest, latency: { legacy: summarizeLatency(latencyMs.legacy), translated: summarizeLatency(latencyMs.translated) } };
  }
  if (shadowReportScope(table, shadowed, endpoints).length === 0) throw new NothingShadowed();
  const { queued } = gateway.shadow.summary();
  // Coverage is judged against the mapping's rules, which only its document names.
  const inventory = gateway.inventory;
  if (!inventory) throw new Error('the gateway was started without its mapping document, so rule coverage cannot be judged');
  return buildShadowReport({
    table,
    inventory,
    shadowed,
    endpoints,
    scoring,
    run: {
      startedAt: gateway.shadow.since.toISOString(),
      finishedAt: new Date().toISOString(),
      legacy: gateway.legacyUrl,
      upstream: gateway.upstreamUrl,
      concurrency: gateway.shadow.concurrencyLimit,
      queued,
      tool: { name: 'api-compat', version },
      node: process.version,
    },
  });
}
