import type { CompatReport, Difference, DifferenceLabel, DirectResult, LatencySummary, ScenarioResult, TargetName } from '../core/model/report.js';

/**
 * Questions every renderer asks of a report, answered once so Markdown, HTML and JUnit agree on
 * what counts as a failure and in which order things are listed.
 */

/** Charts and tables list targets in this order: the baseline first, the floor last. */
export const TARGET_ORDER: readonly TargetName[] = ['v1', 'gateway', 'direct', 'v2-floor'];

/** Differences a reader must act on come first. */
const LABEL_RANK: Record<DifferenceLabel, number> = { unexplained: 0, explained: 1, noise: 2 };

export interface ScenarioDifference {
  scenario: ScenarioResult;
  difference: Difference;
}

export interface ScenarioExpectation {
  scenario: ScenarioResult;
  expectation: ScenarioResult['expectations'][number];
}

/** Every unexplained difference of the run, in report order (scenario name, then pointer). */
export function unexplainedDifferences(report: CompatReport): ScenarioDifference[] {
  return report.scenarios.flatMap((scenario) =>
    scenario.differences.filter((difference) => difference.label === 'unexplained').map((difference) => ({ scenario, difference })),
  );
}

export function unexplainedOf(scenario: ScenarioResult): Difference[] {
  return scenario.differences.filter((difference) => difference.label === 'unexplained');
}

/** Unexplained differences first; the sort is stable, so pointer order holds within a label. */
export function sortByLabel(differences: Difference[]): Difference[] {
  return [...differences].sort((a, b) => LABEL_RANK[a.label] - LABEL_RANK[b.label]);
}

export function erroredScenarios(report: CompatReport): ScenarioResult[] {
  return report.scenarios.filter((scenario) => scenario.outcome === 'error');
}

export function failedExpectations(report: CompatReport): ScenarioExpectation[] {
  return report.scenarios.flatMap((scenario) => scenario.expectations.map((expectation) => ({ scenario, expectation })));
}

/** The latency summaries a scenario measured, in TARGET_ORDER. */
export function measuredTargets(scenario: ScenarioResult): Array<{ target: TargetName; latency: LatencySummary }> {
  return TARGET_ORDER.flatMap((target) => {
    const latency = scenario.latency[target];
    return latency ? [{ target, latency }] : [];
  });
}

/** Undefined when the run had no `--min-score`. */
export function meetsMinScore(report: CompatReport): boolean | undefined {
  const { minScore, score } = report.summary;
  return minScore === undefined ? undefined : score >= minScore;
}

export function exceedsLatencyThreshold(ratio: number | undefined, report: CompatReport): boolean {
  return ratio !== undefined && ratio > report.summary.performanceThreshold;
}

export interface UnexercisedRule {
  /** Undefined for mapping-wide rules (resources, defaults) that belong to no single endpoint. */
  endpoint?: string;
  rule: string;
}

/**
 * Rules no scenario exercised: each endpoint's own first, then the report-wide list's rules that no
 * endpoint claims (older reports have no report-wide list, so the endpoints' lists stay the base).
 */
export function unexercisedRules(report: CompatReport): UnexercisedRule[] {
  const perEndpoint = report.endpoints.flatMap((endpoint) => endpoint.unexercisedRules.map((rule) => ({ endpoint: endpoint.id, rule })));
  const claimed = new Set(perEndpoint.map(({ rule }) => rule));
  const mappingWide = (report.unexercisedRules ?? []).filter((rule) => !claimed.has(rule)).map((rule) => ({ rule }));
  return [...perEndpoint, ...mappingWide];
}

/** Scenarios that were also sent straight to v2 (`--direct`), with that result. */
export function directResults(report: CompatReport): Array<{ scenario: ScenarioResult; direct: DirectResult }> {
  return report.scenarios.flatMap((scenario) => (scenario.direct ? [{ scenario, direct: scenario.direct }] : []));
}

/** Where a difference belongs: its own endpoint, else the scenario's only endpoint. */
export function endpointOf(difference: Difference, scenario: ScenarioResult): string | undefined {
  if (difference.endpoint !== undefined) return difference.endpoint;
  return scenario.endpoints.length === 1 ? scenario.endpoints[0] : undefined;
}
