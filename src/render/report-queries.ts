import type { CompatReport, Difference, DifferenceLabel, DirectResult, EndpointResult, LatencySummary, ScenarioResult, TargetName } from '../core/model/report.js';
import { formatRatio, formatValue, truncate } from './format-values.js';

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

/** One entry of the "what to fix first" list every renderer puts at the top. */
export interface FixItem {
  /** What is wrong, in a few words: a place, an endpoint, a scenario. */
  title: string;
  /** Why it matters and where to look. */
  detail: string;
}

/** How many root causes the list names before it says how many more there are. */
export const FIX_FIRST_LIMIT = 5;

/**
 * What to fix first, most consequential first: scenarios that could not be judged (nothing else
 * about them is known), then the unexplained differences grouped by place (ranked by scenarios
 * affected), then endpoints blocked for another reason (latency, error rate, an unmapped route),
 * then why the verdict is incomplete.
 */
export function fixFirst(report: CompatReport): FixItem[] {
  const items: FixItem[] = [];
  const errored = erroredScenarios(report);
  if (errored.length > 0) {
    items.push({ title: `${errored.length} scenario${errored.length === 1 ? '' : 's'} could not be judged`, detail: `first: "${errored[0]!.name}": ${errored[0]!.error ?? 'no reason recorded'}` });
  }
  const causes = report.rootCauses ?? [];
  for (const cause of causes.slice(0, FIX_FIRST_LIMIT)) {
    const where = cause.rule ? `; written by ${cause.rule.op} at ${cause.rule.pointer}` : '';
    const value = (v: unknown) => truncate(formatValue(v), 60);
    const example = `e.g. "${cause.example.scenario}" (${cause.example.pointer}): v1 ${value(cause.example.v1)}, got ${value(cause.example.actual)}`;
    items.push({
      title: `${cause.place}: ${cause.scenarios} scenario${cause.scenarios === 1 ? '' : 's'}${cause.intermittent ? ' (intermittent)' : ''}, endpoints ${cause.endpoints.join(', ') || 'none'}`,
      detail: `${example}${where}`,
    });
  }
  if (causes.length > FIX_FIRST_LIMIT) items.push({ title: `${causes.length - FIX_FIRST_LIMIT} more places differ`, detail: 'listed under the scenarios and in report.json (rootCauses)' });
  const inCauses = new Set(causes.flatMap((cause) => cause.endpoints));
  for (const endpoint of report.endpoints) {
    if (endpoint.verdict !== 'blocked' || inCauses.has(endpoint.id) || endpoint.unexplained > 0) continue;
    const reason = endpoint.components.find((c) => c.value < 1 && (c.name === 'coverage' ? c.value === 0 : c.name !== 'latency'));
    const latency = endpoint.components.find((c) => c.name === 'latency');
    if (reason) items.push({ title: `${endpoint.id}: blocked on ${reason.name}`, detail: reason.detail });
    else if (latency) items.push({ title: `${endpoint.id}: blocked on latency (ratio ${formatRatio(endpoint.latencyRatio)})`, detail: latency.detail });
  }
  for (const reason of report.summary.incomplete ?? []) items.push({ title: 'not ready: the run is incomplete', detail: reason });
  return items;
}

/** Endpoints blocked by latency alone (faithful, yet slow): JUnit gives each a failing case. */
export function latencyBlocked(report: CompatReport): EndpointResult[] {
  return report.endpoints.filter(
    (endpoint) => endpoint.verdict === 'blocked' && endpoint.unexplained === 0 && endpoint.components.length > 0 && endpoint.components.every((c) => c.name === 'latency' || c.value === 1),
  );
}

/** With --direct: how many scenarios v2 itself answered like v1, of those sent to it. */
export function directSummary(report: CompatReport): { passing: number; total: number } | undefined {
  const direct = directResults(report);
  if (direct.length === 0) return undefined;
  return { passing: direct.filter(({ direct: result }) => result.outcome === 'identical' || result.outcome === 'equivalent').length, total: direct.length };
}
