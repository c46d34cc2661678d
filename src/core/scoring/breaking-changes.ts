import type { BreakingChange, CompatReport, EndpointResult, ScoreComponent } from '../model/report.js';
import { overallReadiness } from './readiness.js';

/**
 * The readiness score's "uncovered breaking changes" term (DESIGN 5), added when the check is
 * given both OpenAPI documents: the share of an endpoint's breaking findings (error and warn)
 * that the mapping covers, weighted 0.15 next to the other components, and `blocked` for an
 * endpoint with an uncovered error. Applied to a finished report so the run itself is unchanged.
 */
export const BREAKING_WEIGHT = 0.15;

export interface EndpointBreakingChanges {
  covered: number;
  uncovered: BreakingChange[];
}

export function withBreakingChanges(report: CompatReport, byEndpoint: ReadonlyMap<string, EndpointBreakingChanges>): CompatReport {
  const endpoints = report.endpoints.map((endpoint) => scoreBreaking(endpoint, byEndpoint.get(endpoint.id) ?? { covered: 0, uncovered: [] }));
  const { score, verdict } = overallReadiness(endpoints);
  return {
    ...report,
    summary: { ...report.summary, score, verdict },
    endpoints,
    formula: `${report.formula}\n${BREAKING_FORMULA}`,
  };
}

export const BREAKING_FORMULA = `breaking (with --v1-spec and --v2-spec): the share of the endpoint's breaking changes between the OpenAPI documents (api-compat diff, levels error and warn) that the mapping covers, 1 when there are none, weight ${BREAKING_WEIGHT}; the endpoint score is then 100 × the weighted sum ÷ the sum of the weights (${1 + BREAKING_WEIGHT}), and an uncovered error makes the endpoint blocked.`;

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
  const weights = components.reduce((sum, c) => sum + c.weight, 0);
  const score = Math.round((1000 * components.reduce((sum, c) => sum + c.value * c.weight, 0)) / weights) / 10;
  const blocked = changes.uncovered.some((change) => change.level === 'error');
  return { ...base, components, score, verdict: blocked ? 'blocked' : endpoint.verdict };
}
