import type { BreakingChange, CompatReport, EndpointResult, ScoreComponent } from '../model/report.js';
import { overallReadiness, scoreOf } from './readiness.js';

/**
 * The readiness score's "uncovered breaking changes" term (DESIGN 5), added when the check is
 * given both OpenAPI documents: the share of an endpoint's breaking findings (error and warn)
 * that the mapping covers, taking at most 0.15 off like the other components, and `blocked` for an
 * endpoint with an uncovered error. Applied to a finished report so the run itself is unchanged.
 */
export const BREAKING_WEIGHT = 0.15;

export interface EndpointBreakingChanges {
  covered: number;
  uncovered: BreakingChange[];
}

export function withBreakingChanges(report: CompatReport, byEndpoint: ReadonlyMap<string, EndpointBreakingChanges>): CompatReport {
  const endpoints = report.endpoints.map((endpoint) => scoreBreaking(endpoint, byEndpoint.get(endpoint.id) ?? { covered: 0, uncovered: [] }));
  // The run's completeness (interrupted, tag-filtered, untested endpoints) is already decided.
  const held = report.summary.incomplete ?? [];
  const { score, verdict } = overallReadiness(endpoints, { partial: report.partial, tags: [], allowUntested: true });
  return {
    ...report,
    summary: { ...report.summary, score, verdict: verdict !== 'blocked' && held.length ? 'incomplete' : verdict },
    endpoints,
    formula: `${report.formula}\n${BREAKING_FORMULA}`,
  };
}

export const BREAKING_FORMULA = `breaking (with --v1-spec and --v2-spec): the share of the endpoint's breaking changes between the OpenAPI documents (api-compat diff, levels error and warn) that the mapping covers, 1 when there are none, weight ${BREAKING_WEIGHT}; it takes at most ${BREAKING_WEIGHT} off like the other components (100 × fidelity × (1 − … − ${BREAKING_WEIGHT} × (1 − breaking))), and an uncovered error makes the endpoint blocked.`;

function scoreBreaking(endpoint: EndpointResult, changes: EndpointBreakingChanges): EndpointResult {
  const total = changes.covered + changes.uncovered.length;
  const component: ScoreComponent = {
    name: 'breaking',
    value: total ? Math.round((changes.covered / total) * 10000) / 10000 : 1,
    weight: BREAKING_WEIGHT,
    detail: total ? `${changes.covered} of ${total} breaking changes covered by the mapping${changes.uncovered.length ? `; uncovered: ${changes.uncovered.map((c) => c.rule).join(', ')}` : ''}` : 'no breaking change between the documents',
  };
  const base = { ...endpoint, breakingChanges: changes.uncovered };
  if (endpoint.verdict === 'untested') return base;
  const components = [...endpoint.components, component];
  const score = Math.round(1000 * scoreOf(components)) / 10;
  const blocked = changes.uncovered.some((change) => change.level === 'error');
  return { ...base, components, score, verdict: blocked ? 'blocked' : endpoint.verdict };
}
