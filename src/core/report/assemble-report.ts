import type { CompiledEndpoint, CompiledTable } from '../mapping/compiled.js';
import type { RuleInventory } from '../mapping/rule-inventory.js';
import { REPORT_VERSION, type CompatReport, type DifferenceLabel, type EndpointResult, type ScenarioOutcome, type ScenarioResult } from '../model/report.js';
import { formulaText, overallReadiness, scoreEndpoint, type EndpointJudgement, type RequestTally, type ScoringOptions } from '../scoring/readiness.js';
import { byDifferenceOrder, compareText } from './ordering.js';
import { rootCauses } from './root-causes.js';

/** What running one scenario established, beyond its result. */
export interface ScenarioEvidence {
  result: ScenarioResult;
  judgements: Array<{ endpoint: string } & Omit<EndpointJudgement, 'scenario'>>;
  /** Mapping rule pointers the scenario's traffic exercised. */
  exercised: string[];
}

export interface EndpointMeasurements {
  p50: { v1?: number; gateway?: number; floor?: number; baseline?: number };
  samples?: { v1: number; gateway: number };
  /** The judged latency ratio per measured round. */
  roundRatios?: number[];
  /** p50 of one hop through the gateway, measured during the run. */
  hopMs?: number;
  requests: { v1: RequestTally; gateway: RequestTally };
  /** Why the v2 floor failed for this endpoint (the first time), if it ever did. */
  floorFailure?: string;
}

/** A v1 route some scenario called that no mapping endpoint matches. */
export interface UnmappedRoute {
  id: string;
  v1: string;
}

export interface AssembleInput {
  suite: string;
  mapping?: string;
  table: CompiledTable;
  inventory: RuleInventory;
  scenarios: ScenarioEvidence[];
  measurements: ReadonlyMap<string, EndpointMeasurements>;
  unmapped: UnmappedRoute[];
  options: ScoringOptions & { minScore?: number; tags?: readonly string[]; allowUntested?: boolean };
  partial: boolean;
  run: CompatReport['run'];
}

const NO_REQUESTS = (): EndpointMeasurements['requests'] => ({ v1: { total: 0, failed: 0 }, gateway: { total: 0, failed: 0 } });

/** Scores every endpoint and builds the canonical report: arrays sorted, run metadata apart. */
export function assembleReport(input: AssembleInput): CompatReport {
  const exercised = new Set(input.scenarios.flatMap((s) => s.exercised));
  const judgements = new Map<string, EndpointJudgement[]>();
  const unexplained = new Map<string, number>();
  for (const { result, judgements: list } of input.scenarios) {
    for (const { endpoint, ...judgement } of list) judgements.set(endpoint, [...(judgements.get(endpoint) ?? []), { scenario: result.name, ...judgement }]);
    for (const difference of result.differences) {
      if (difference.label === 'unexplained' && difference.endpoint) unexplained.set(difference.endpoint, (unexplained.get(difference.endpoint) ?? 0) + 1);
    }
  }
  const evidenceFor = (id: string, v1: string, endpoint?: CompiledEndpoint) => {
    const measured = input.measurements.get(id);
    return {
      id,
      v1,
      v2: endpoint?.v2 ? `${endpoint.v2.method} ${endpoint.v2.template}` : undefined,
      mapped: endpoint !== undefined,
      removed: endpoint?.removed !== undefined,
      judgements: judgements.get(id) ?? [],
      rules: endpoint ? (input.inventory.endpoints.get(endpoint.id)?.rules.map((rule) => rule.pointer) ?? []) : [],
      exercised,
      p50: measured?.p50 ?? {},
      ...(measured?.samples ? { samples: measured.samples } : {}),
      ...(measured?.roundRatios ? { roundRatios: measured.roundRatios } : {}),
      ...(measured?.hopMs !== undefined ? { hopMs: measured.hopMs } : {}),
      requests: measured?.requests ?? NO_REQUESTS(),
      ...(measured?.floorFailure ? { floorFailure: measured.floorFailure } : {}),
      unexplained: unexplained.get(id) ?? 0,
    };
  };
  const endpoints: EndpointResult[] = [
    ...input.table.endpoints.map((endpoint) => scoreEndpoint(evidenceFor(endpoint.id, `${endpoint.v1.method} ${endpoint.v1.template}`, endpoint), input.options)),
    ...input.unmapped.map((route) => scoreEndpoint(evidenceFor(route.id, route.v1), input.options)),
  ].sort((a, b) => compareText(a.id, b.id));

  const scenarios = input.scenarios
    .map(({ result }) => ({
      ...result,
      differences: [...result.differences].sort(byDifferenceOrder),
      ...(result.direct ? { direct: { ...result.direct, differences: [...result.direct.differences].sort(byDifferenceOrder) } } : {}),
    }))
    .sort((a, b) => compareText(a.name, b.name));
  const outcomes: Record<ScenarioOutcome, number> = { identical: 0, equivalent: 0, different: 0, error: 0 };
  const labels: Record<DifferenceLabel, number> = { explained: 0, noise: 0, unexplained: 0 };
  for (const scenario of scenarios) {
    outcomes[scenario.outcome]++;
    for (const difference of scenario.differences) labels[difference.label]++;
  }
  const overall = overallReadiness(endpoints, { partial: input.partial, tags: input.options.tags ?? [], allowUntested: input.options.allowUntested ?? false });
  const allRules = [
    ...[...input.inventory.endpoints.values()].flatMap((rules) => rules.rules.map((rule) => rule.pointer)),
    ...input.inventory.errorRules.map((rule) => rule.pointer),
    ...[...input.inventory.resources.values()].flatMap((rules) => rules.map((rule) => rule.pointer)),
  ];
  return {
    reportVersion: REPORT_VERSION,
    suite: input.suite,
    ...(input.mapping ? { mapping: input.mapping } : {}),
    partial: input.partial,
    summary: {
      score: overall.score,
      verdict: overall.verdict,
      ...(overall.incomplete.length ? { incomplete: overall.incomplete } : {}),
      scenarios: outcomes,
      differences: labels,
      performanceThreshold: input.options.performanceThreshold,
      ...(input.options.minScore !== undefined ? { minScore: input.options.minScore } : {}),
    },
    formula: formulaText(input.options),
    endpoints,
    untested: endpoints.filter((e) => e.verdict === 'untested').map((e) => e.id),
    unexercisedRules: [...new Set(allRules)].filter((rule) => !exercised.has(rule)).sort(compareText),
    rootCauses: rootCauses(scenarios),
    scenarios,
    run: input.run,
  };
}
