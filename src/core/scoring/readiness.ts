import type { EndpointResult, ScoreComponent, Verdict } from '../model/report.js';

/**
 * Migration readiness per endpoint and overall. Everything here is arithmetic on evidence the
 * checker gathered, and `formulaText` says the same in words inside every report, so a reader
 * can recompute each score from its components (value × weight).
 */
/**
 * Fidelity multiplies; the other components can only take points off what fidelity allows, each
 * at most its weight: a broken endpoint (fidelity 0) scores 0 however fast and well covered it is.
 */
/** The components every run scores; `breaking` joins them only with both OpenAPI documents (breaking-changes.ts). */
export const WEIGHTS: Record<Exclude<ScoreComponent['name'], 'breaking'>, number> = { coverage: 0.2, fidelity: 1, latency: 0.15, 'error-rate': 0.15 };

/** A latency ratio over the threshold blocks only when it holds in at least this share of the measured rounds. */
export const LATENCY_HOLD_SHARE = 0.75;
/** ...and only with at least this many rounds measured (fewer are a warning, never a block). */
export const LATENCY_MIN_ROUNDS = 3;

/** Each extra percentage point of failed requests through the gateway costs this share of the error-rate component. */
const ERROR_RATE_PENALTY = 10;

export interface ScoringOptions {
  performanceThreshold: number;
  latencyAllowanceMs: number;
  /** True when `--direct` ran: only then can an endpoint be `ready` without the gateway. */
  directRan: boolean;
}

/** How one scenario went for one endpoint. */
export interface EndpointJudgement {
  scenario: string;
  /** Could not be judged: a target was down, slow or answered garbage. */
  errored: boolean;
  /** Through the gateway, identical modulo noise and explained differences, expectations met. */
  faithful: boolean;
  /** For removed endpoints: the gateway answered with the configured status. */
  answeredAsRemoved: boolean;
  /** With `--direct`: v2 itself answered like v1 (modulo noise). */
  directFaithful?: boolean;
  /**
   * How many judged exchanges this judgement stands for (default 1). A shadow report judges
   * live exchanges, too many to list one by one: alike ones are given once with their count.
   */
  count?: number;
}

export interface RequestTally {
  total: number;
  /** 5xx answers and requests that got no answer. */
  failed: number;
}

export interface EndpointEvidence {
  id: string;
  v1: string;
  v2?: string;
  /** False for v1 routes the mapping does not know. */
  mapped: boolean;
  removed: boolean;
  judgements: EndpointJudgement[];
  rules: string[];
  exercised: ReadonlySet<string>;
  /** `baseline`: v1's time plus a measured hop through the gateway, sample by sample (see run-scenario). */
  p50: { v1?: number; gateway?: number; floor?: number; baseline?: number };
  /** Latency samples behind the p50s. */
  samples?: { v1: number; gateway: number };
  /** The judged latency ratio in each measured round (round k of every scenario of the endpoint), in round order. */
  roundRatios?: number[];
  /** p50 of one hop through the gateway during the run (a request the gateway answers itself). */
  hopMs?: number;
  requests: { v1: RequestTally; gateway: RequestTally };
  /** Why the checker's own calls to v2 (the floor) failed for this endpoint, if they did. */
  floorFailure?: string;
  unexplained: number;
}

export function scoreEndpoint(evidence: EndpointEvidence, options: ScoringOptions): EndpointResult {
  const scenarios = [...new Set(evidence.judgements.map((j) => j.scenario))].sort();
  const unexercisedRules = evidence.rules.filter((rule) => !evidence.exercised.has(rule));
  const base = {
    id: evidence.id,
    v1: evidence.v1,
    ...(evidence.v2 ? { v2: evidence.v2 } : {}),
    scenarios,
    unexplained: evidence.unexplained,
    unexercisedRules,
  };
  // A removed endpoint never reaches v2: its latency says nothing about the migration.
  const { v1, gateway, floor } = evidence.removed ? {} : evidence.p50;
  const latencyRatio = gateway !== undefined && v1 !== undefined ? ratioOf(evidence, options, gateway, v1) : undefined;
  const overhead = gateway !== undefined && floor !== undefined ? round(gateway - floor, 3) : undefined;
  const measured = {
    ...(latencyRatio !== undefined ? { latencyRatio: round(latencyRatio, 2) } : {}),
    ...(overhead !== undefined ? { gatewayOverheadMs: overhead } : {}),
  };
  if (scenarios.length === 0) {
    return { ...base, verdict: 'untested', score: 0, components: [], ...measured };
  }
  const components = [coverage(evidence, unexercisedRules), fidelity(evidence), latency(evidence, options, overhead === undefined ? evidence.floorFailure : undefined), errorRate(evidence)];
  const score = round(100 * scoreOf(components), 1);
  const slow = latencyJudgement(evidence, options);
  const warnings = slow.warning ? { warnings: [slow.warning] } : {};
  return { ...base, verdict: verdictOf(evidence, components, options, slow.blocks), score, components, ...measured, ...warnings };
}

/** fidelity × (1 − Σ weight × (1 − value)) over the other components. */
export function scoreOf(components: readonly ScoreComponent[]): number {
  const fidelityValue = components.find((c) => c.name === 'fidelity')?.value ?? 0;
  const penalty = components.filter((c) => c.name !== 'fidelity').reduce((sum, c) => sum + c.weight * (1 - c.value), 0);
  return fidelityValue * Math.max(0, 1 - penalty);
}

/**
 * Whether slowness blocks: the endpoint's ratio is over the threshold and stays over it in most
 * measured rounds. A ratio pushed over by a few slow rounds (a neighbour took the CPU) is a
 * warning instead, so the verdict does not flip from one run to the next on a busy machine.
 */
function latencyJudgement(evidence: EndpointEvidence, options: ScoringOptions): { blocks: boolean; warning?: string } {
  if (evidence.removed) return { blocks: false };
  const { v1, gateway } = evidence.p50;
  if (v1 === undefined || gateway === undefined) return { blocks: false };
  const ratio = ratioOf(evidence, options, gateway, v1);
  if (ratio <= options.performanceThreshold) return { blocks: false };
  const rounds = evidence.roundRatios ?? [];
  const over = rounds.filter((r) => r > options.performanceThreshold).length;
  const holds = rounds.length >= LATENCY_MIN_ROUNDS && over >= LATENCY_HOLD_SHARE * rounds.length;
  const samples = evidence.samples ? `; ${evidence.samples.gateway} gateway and ${evidence.samples.v1} v1 samples` : '';
  if (holds) return { blocks: true };
  return {
    blocks: false,
    warning: `latency ratio ${fmt(ratio)} is over the threshold ${options.performanceThreshold}, but only in ${over} of ${rounds.length} measured rounds (blocking takes at least ${LATENCY_MIN_ROUNDS} rounds and ${LATENCY_HOLD_SHARE * 100} % of them)${samples}; run with more --repeat on a quieter machine to settle it`,
  };
}

function component(name: keyof typeof WEIGHTS, value: number, detail: string): ScoreComponent {
  return { name, value: round(Math.min(1, Math.max(0, value)), 4), weight: WEIGHTS[name], detail };
}

function coverage(evidence: EndpointEvidence, unexercised: string[]): ScoreComponent {
  if (!evidence.mapped) {
    // A route no endpoint maps is a gap only where v1 serves something the gateway does not: an
    // unknown path (404), a method the path lacks (405) or a CORS preflight the gateway answers
    // under the mapping's policy is covered when every scenario found the gateway answering as v1.
    const faithful = evidence.judgements.length > 0 && evidence.judgements.every((j) => !j.errored && j.faithful);
    return faithful
      ? component('coverage', 1, 'no endpoint maps this route, and the gateway answers it as v1 does')
      : component('coverage', 0, 'the mapping has no endpoint for this v1 route');
  }
  if (evidence.rules.length === 0) return component('coverage', 1, evidence.removed ? 'removed explicitly in the mapping' : 'mapped; no rules of its own');
  const exercised = evidence.rules.length - unexercised.length;
  return component('coverage', exercised / evidence.rules.length, `mapped; ${exercised} of ${evidence.rules.length} of its rules exercised`);
}

function fidelity(evidence: EndpointEvidence): ScoreComponent {
  const weight = (list: readonly EndpointJudgement[]) => list.reduce((sum, j) => sum + (j.count ?? 1), 0);
  const total = weight(evidence.judgements);
  const good = weight(evidence.judgements.filter((j) => !j.errored && (evidence.removed ? j.answeredAsRemoved : j.faithful)));
  const errored = weight(evidence.judgements.filter((j) => j.errored));
  const unit = evidence.judgements.some((j) => j.count !== undefined) ? 'observed exchanges' : 'scenarios';
  const what = evidence.removed ? 'answered as the mapping retires it' : 'identical modulo noise and explained differences';
  return component('fidelity', total ? good / total : 0, `${good} of ${total} ${unit} ${what}${errored ? `; ${errored} could not be judged (error)` : ''}`);
}

/**
 * The gateway/v1 ratio the threshold applies to: v1's p50 plus an allowance for the one network
 * hop a gateway adds. With real services (tens of ms) the allowance is negligible; on loopback
 * with in-memory services it keeps sub-millisecond hop costs from passing for slowness.
 */
/** The hop allowance: the configured one, or one hop through the gateway as measured, whichever is larger. */
function allowanceOf(evidence: EndpointEvidence, options: ScoringOptions): number {
  return Math.max(options.latencyAllowanceMs, evidence.hopMs ?? 0);
}

/** r: against the measured baseline when there is one, else against v1 p50 plus the allowance. */
function ratioOf(evidence: EndpointEvidence, options: ScoringOptions, gateway: number, v1: number): number {
  const baseline = evidence.p50.baseline;
  return baseline !== undefined && baseline > 0 ? gateway / baseline : judgedLatencyRatio(gateway, v1, allowanceOf(evidence, options));
}

export function judgedLatencyRatio(gatewayP50: number, v1P50: number, allowanceMs: number): number {
  return gatewayP50 / (v1P50 + allowanceMs);
}

/** `overheadUnmeasured`: why the gateway's own overhead is missing, said in the detail (it is not scored). */
function latency(evidence: EndpointEvidence, options: ScoringOptions, overheadUnmeasured?: string): ScoreComponent {
  if (evidence.removed) return component('latency', 1, 'removed: not measured');
  const { v1, gateway } = evidence.p50;
  if (v1 === undefined || gateway === undefined) return component('latency', 0, 'no latency samples (every request failed)');
  const threshold = options.performanceThreshold;
  const allowance = allowanceOf(evidence, options);
  const judged = ratioOf(evidence, options, gateway, v1);
  const baseline = evidence.p50.baseline;
  const against = baseline !== undefined && baseline > 0 ? `judged against v1 plus one measured hop through the gateway, sample by sample: ${fmt(gateway)} / ${fmt(baseline)}` : `judged ${fmt(gateway)} / (${fmt(v1)} + ${fmt(allowance)})`;
  const value = judged <= threshold ? 1 : (2 * threshold - judged) / threshold;
  const samples = evidence.samples ? ` from ${evidence.samples.gateway} gateway and ${evidence.samples.v1} v1 samples` : '';
  const rounds = evidence.roundRatios?.length ? ` over ${evidence.roundRatios.length} rounds, ${evidence.roundRatios.filter((r) => r > threshold).length} of them over the threshold` : '';
  return component(
    'latency',
    value,
    `p50 gateway ${fmt(gateway)} ms, v1 ${fmt(v1)} ms (ratio ${fmt(gateway / v1)})${samples}; ${against} = ${fmt(judged)} against threshold ${threshold}${rounds}${evidence.hopMs !== undefined ? `; one hop through the gateway took ${fmt(evidence.hopMs)} ms (p50)` : ''}` +
      (overheadUnmeasured ? `; gateway overhead not measured: ${overheadUnmeasured}` : ''),
  );
}

function errorRate(evidence: EndpointEvidence): ScoreComponent {
  const rate = (tally: RequestTally) => (tally.total ? tally.failed / tally.total : 0);
  const v1 = rate(evidence.requests.v1);
  const gateway = evidence.requests.gateway.total ? rate(evidence.requests.gateway) : 1;
  const increase = Math.max(0, gateway - v1);
  return component(
    'error-rate',
    1 - ERROR_RATE_PENALTY * increase,
    `failed (5xx or no answer): gateway ${evidence.requests.gateway.failed}/${evidence.requests.gateway.total}, v1 ${evidence.requests.v1.failed}/${evidence.requests.v1.total}`,
  );
}

function verdictOf(evidence: EndpointEvidence, components: ScoreComponent[], options: ScoringOptions, slow: boolean): Verdict {
  const value = (name: ScoreComponent['name']) => components.find((c) => c.name === name)!.value;
  if (value('coverage') === 0 || value('fidelity') < 1 || value('error-rate') < 1) return 'blocked';
  if (evidence.removed) return 'removed';
  const { v1, gateway } = evidence.p50;
  if (v1 === undefined || gateway === undefined || slow) return 'blocked';
  if (options.directRan && evidence.judgements.every((j) => j.directFaithful === true)) return 'ready';
  return 'ready-via-gateway';
}

/** What the run left out, which keeps a verdict from saying `ready`. */
export interface RunCompleteness {
  /** Interrupted: the report holds the scenarios that finished. */
  partial: boolean;
  /** `--tag` selected only some scenarios. */
  tags: readonly string[];
  /** `--allow-untested`: untested endpoints do not hold the verdict back. */
  allowUntested: boolean;
}

export type OverallVerdict = 'ready' | 'ready-via-gateway' | 'blocked' | 'incomplete';

/**
 * The overall score: endpoint scores weighted by how many scenarios exercise each; an untested
 * endpoint weighs one scenario at score 0, so leaving endpoints untested costs score. The
 * verdict is `blocked` when any endpoint is; `incomplete` (never `ready`) when the run was
 * interrupted, filtered by tag, or left endpoints untested without `--allow-untested`.
 */
export function overallReadiness(endpoints: readonly EndpointResult[], completeness: RunCompleteness = { partial: false, tags: [], allowUntested: false }): { score: number; verdict: OverallVerdict; incomplete: string[] } {
  let weighted = 0;
  let weights = 0;
  for (const endpoint of endpoints) {
    const weight = Math.max(1, endpoint.scenarios.length);
    weighted += weight * endpoint.score;
    weights += weight;
  }
  const score = weights ? round(weighted / weights, 1) : 0;
  const tested = endpoints.filter((e) => e.verdict !== 'untested');
  const untested = endpoints.filter((e) => e.verdict === 'untested').map((e) => e.id);
  const incomplete = [
    ...(completeness.partial ? ['the run was interrupted: the report holds only the scenarios that finished'] : []),
    ...(completeness.tags.length ? [`only scenarios tagged ${completeness.tags.join(', ')} ran`] : []),
    ...(untested.length && !completeness.allowUntested ? [`${untested.length} endpoint${untested.length === 1 ? ' is' : 's are'} untested (${untested.join(', ')}); add scenarios, or pass --allow-untested`] : []),
  ];
  const verdict: OverallVerdict =
    tested.length === 0 || tested.some((e) => e.verdict === 'blocked')
      ? 'blocked'
      : incomplete.length
        ? 'incomplete'
        : tested.every((e) => e.verdict === 'ready' || e.verdict === 'removed')
          ? 'ready'
          : 'ready-via-gateway';
  return { score, verdict, incomplete };
}

export function formulaText(options: ScoringOptions): string {
  const t = options.performanceThreshold;
  const a = options.latencyAllowanceMs;
  return [
    `endpoint score = 100 × fidelity × (1 − ${WEIGHTS.coverage} × (1 − coverage) − ${WEIGHTS.latency} × (1 − latency) − ${WEIGHTS['error-rate']} × (1 − error-rate)), one decimal; each component is 0..1 and listed with its value and weight (fidelity's weight 1 means it multiplies). An endpoint with fidelity 0 scores 0; the other components only take points off.`,
    'coverage: 0 when the mapping has no endpoint for the v1 route; otherwise the share of the endpoint\'s own mapping rules (request, response, call and error steps) that some scenario exercised, 1 when it has none (removed endpoints: 1).',
    'fidelity: the share of the endpoint\'s scenarios in which every response through the gateway equalled v1\'s except for noise (differs between two v1 calls, ignore rules, matchers) and differences the mapping explains, and met its expectations; for a removed endpoint, the share answered with the configured status. A scenario that could not be judged counts 0. Side effects: a write is judged by what the reads after it show, so a difference in a read (GET, HEAD) that follows writes in the same scenario is charged to the endpoints of the writes before it as well as to the read\'s own. A scenario marked knownGap is reported but counts as faithful.',
    `latency: r = gateway p50 / (v1 p50 + allowance), over the endpoint's requests in every measured round, where allowance is ${a} ms (latencyAllowanceMs) or, when larger, one hop through the gateway measured during the run (a request the gateway answers itself, once per round); when that hop was measured, v1 p50 + allowance is taken sample by sample: the p50 of (v1 time + that round's hop), so v1's side meets as many hops, and as many stalls of a busy machine, as the gateway's; 1 when r ≤ ${t} (performanceThreshold), falling linearly to 0 at r = ${2 * t}; r is also computed per measured round. The allowance stands for the extra hop a gateway is, which on loopback with tiny services, or on a busy machine, otherwise dominates the ratio; r is reported as latencyRatio, the raw p50s in the component's detail. Removed endpoints: 1.`,
    `error-rate: 1 − ${ERROR_RATE_PENALTY} × max(0, gateway failure rate − v1 failure rate), at least 0; a failure is a 5xx answer or no answer.`,
    'overall score = the mean of endpoint scores weighted by the number of scenarios exercising each; an untested endpoint counts once with score 0.',
    `verdict per endpoint: untested when no scenario exercises it; blocked when coverage is 0, fidelity or error-rate is below 1, or r > ${t} in the whole run and in at least ${LATENCY_HOLD_SHARE * 100} % of at least ${LATENCY_MIN_ROUNDS} measured rounds (r over ${t} otherwise is a warning, not a block); removed when the mapping retires it and the gateway answered as configured; ready when, in addition, the same v1 requests sent unchanged to v2 (--direct) gave v1's answers; ready-via-gateway otherwise. Overall: blocked when any endpoint is blocked; incomplete when the run was interrupted, ran only some tags, or left endpoints untested (unless --allow-untested); ready when every tested endpoint is ready or removed; ready-via-gateway otherwise.`,
  ].join('\n');
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function fmt(value: number): string {
  return value.toFixed(value >= 10 ? 1 : value >= 1 ? 2 : 3).replace(/\.?0+$/, '') || '0';
}
