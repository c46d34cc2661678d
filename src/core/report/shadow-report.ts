import type { CompiledTable } from '../mapping/compiled.js';
import type { RuleInventory } from '../mapping/rule-inventory.js';
import type { CompatReport, Difference, LatencySummary, ScenarioOutcome } from '../model/report.js';
import type { ScoringOptions } from '../scoring/readiness.js';
import { assembleReport, type EndpointMeasurements, type ScenarioEvidence } from './assemble-report.js';
import { redactReport, withoutCredentials } from './redact.js';

/**
 * A checker report from live shadow traffic: the gateway answered clients from legacy, translated
 * the same requests through v2 in the background and compared the two answers. Each shadowed
 * endpoint becomes one scenario, `shadow traffic: <endpoint>`, whose judged exchanges are the
 * comparisons made; the mismatches kept as samples are its differences, the places learnt as
 * noise are its noise. Scores and verdicts come from the same scoring code as `api-compat check`,
 * so they mean the same thing; `run.source` says the evidence is shadow traffic.
 */

/** One difference of a kept mismatch, as the shadow comparer recorded it (values already clipped). */
export interface ShadowDifference {
  pointer: string;
  legacy: unknown;
  translated: unknown;
}

export interface ShadowEndpointInput {
  compared: number;
  matched: number;
  mismatched: number;
  errors: number;
  dropped: number;
  samples: Array<{ at: string; target: string; differences: ShadowDifference[] }>;
  noise: string[];
  latency: { legacy?: LatencySummary; translated?: LatencySummary };
  failed: { legacy: number; translated: number };
  exercised: string[];
}

export interface ShadowReportInput {
  table: CompiledTable;
  inventory: RuleInventory;
  /** Endpoint ids the current table serves in shadow mode (reported even without traffic yet). */
  shadowed: readonly string[];
  endpoints: Readonly<Record<string, ShadowEndpointInput>>;
  scoring: ScoringOptions;
  run: {
    startedAt: string;
    finishedAt: string;
    legacy?: string;
    upstream: string;
    concurrency: number;
    queued: number;
    tool: { name: 'api-compat'; version: string };
    node: string;
  };
}

/** The scenario name of an endpoint's shadow traffic. */
export const shadowScenarioName = (endpoint: string): string => `shadow traffic: ${endpoint}`;

export const SHADOW_FORMULA_NOTE =
  'source: live shadow traffic. Each shadowed endpoint is one scenario whose judged exchanges are the comparisons the gateway made; fidelity is the share of those exchanges identical modulo learnt noise, latency compares the translated answers (gateway and v2) with legacy\'s answers to the same requests, error-rate compares their 5xx and failures, coverage counts the mapping rules the translated exchanges exercised. The differences listed are the newest mismatches kept; explained differences are not told apart from unexplained ones.';

/** Endpoint ids a shadow report covers: those served in shadow mode, and those that have shadow counts from before a reload. */
export function shadowReportScope(table: CompiledTable, shadowed: readonly string[], endpoints: Readonly<Record<string, ShadowEndpointInput>>): string[] {
  const known = new Set(table.endpoints.map((endpoint) => endpoint.id));
  const observed = Object.entries(endpoints)
    .filter(([id, tally]) => known.has(id) && tally.compared + tally.errors + tally.dropped > 0)
    .map(([id]) => id);
  return [...new Set([...shadowed.filter((id) => known.has(id)), ...observed])].sort();
}

export function buildShadowReport(input: ShadowReportInput): CompatReport {
  const scope = new Set(shadowReportScope(input.table, input.shadowed, input.endpoints));
  const table: CompiledTable = { ...input.table, endpoints: input.table.endpoints.filter((endpoint) => scope.has(endpoint.id)) };
  const inventory: RuleInventory = { ...input.inventory, endpoints: new Map([...input.inventory.endpoints].filter(([id]) => scope.has(id))) };
  const scenarios: ScenarioEvidence[] = [];
  const measurements = new Map<string, EndpointMeasurements>();
  for (const id of scope) {
    const observed = input.endpoints[id];
    if (!observed || observed.compared + observed.errors === 0) continue;
    scenarios.push(scenarioOf(id, observed));
    const judged = observed.compared + observed.errors;
    measurements.set(id, {
      p50: { ...(observed.latency.legacy ? { v1: observed.latency.legacy.p50 } : {}), ...(observed.latency.translated ? { gateway: observed.latency.translated.p50 } : {}) },
      ...(observed.latency.legacy && observed.latency.translated ? { samples: { v1: observed.latency.legacy.samples, gateway: observed.latency.translated.samples } } : {}),
      requests: { v1: { total: judged, failed: observed.failed.legacy }, gateway: { total: judged, failed: observed.failed.translated } },
    });
  }
  const report = assembleReport({
    suite: `shadow ${input.table.name}`,
    table,
    inventory,
    scenarios,
    measurements,
    unmapped: [],
    options: { ...input.scoring, allowUntested: false },
    partial: false,
    run: {
      startedAt: input.run.startedAt,
      finishedAt: input.run.finishedAt,
      durationMs: Math.max(0, Date.parse(input.run.finishedAt) - Date.parse(input.run.startedAt)),
      targets: input.run.legacy ? { v1: input.run.legacy } : {},
      repeat: 1,
      concurrency: input.run.concurrency,
      tool: input.run.tool,
      node: input.run.node,
      source: {
        kind: 'shadow',
        upstream: withoutCredentials(input.run.upstream)!,
        exchanges: [...scope].reduce((sum, id) => sum + (input.endpoints[id]?.compared ?? 0) + (input.endpoints[id]?.errors ?? 0), 0),
        dropped: [...scope].reduce((sum, id) => sum + (input.endpoints[id]?.dropped ?? 0), 0),
        queued: input.run.queued,
      },
    },
  });
  return redactReport({ ...report, formula: `${report.formula}\n${SHADOW_FORMULA_NOTE}` }, []);
}

function scenarioOf(id: string, observed: ShadowEndpointInput): ScenarioEvidence {
  const differences: Difference[] = [
    ...observed.samples.flatMap((sample, step) =>
      sample.differences.map((difference) => ({
        pointer: difference.pointer,
        label: 'unexplained' as const,
        ...(difference.legacy !== undefined ? { v1: difference.legacy } : {}),
        ...(difference.translated !== undefined ? { actual: difference.translated } : {}),
        reason: `legacy and the translation through v2 answered ${sample.target} differently (${sample.at})`,
        endpoint: id,
        step,
      })),
    ),
    ...observed.noise.map((pointer) => ({ pointer, label: 'noise' as const, reason: 'differs between two legacy answers to the same request', endpoint: id })),
  ];
  const outcome: ScenarioOutcome = observed.mismatched > 0 ? 'different' : observed.errors > 0 ? 'error' : observed.noise.length > 0 ? 'equivalent' : 'identical';
  const judgement = { endpoint: id, answeredAsRemoved: false };
  return {
    result: {
      name: shadowScenarioName(id),
      endpoints: [id],
      tags: ['shadow'],
      outcome,
      ...(outcome === 'error' ? { error: `${observed.errors} of ${observed.compared + observed.errors} translations of shadowed requests could not be compared (v2 unreachable, or the translation failed)` } : {}),
      differences,
      expectations: [],
      latency: { ...(observed.latency.legacy ? { v1: observed.latency.legacy } : {}), ...(observed.latency.translated ? { gateway: observed.latency.translated } : {}) },
      statuses: {},
    },
    judgements: [
      ...(observed.matched > 0 ? [{ ...judgement, errored: false, faithful: true, count: observed.matched }] : []),
      ...(observed.mismatched > 0 ? [{ ...judgement, errored: false, faithful: false, count: observed.mismatched }] : []),
      ...(observed.errors > 0 ? [{ ...judgement, errored: true, faithful: false, count: observed.errors }] : []),
    ],
    exercised: observed.exercised,
  };
}
