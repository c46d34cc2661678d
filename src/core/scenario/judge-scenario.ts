import type { RawDifference } from '../compare/diff-json.js';
import { explainDifference, type Explanation } from '../compare/explain.js';
import { labelDifference } from '../compare/label.js';
import type { NoiseModel } from '../compare/noise.js';
import type { ObservedResponse } from '../compare/view.js';
import type { CompiledEndpoint, Lifecycle } from '../mapping/compiled.js';
import type { TraceEntry } from '../pipeline/trace.js';
import type { RuleInventory } from '../mapping/rule-inventory.js';
import type { Difference, DifferenceLabel, DirectResult, ScenarioOutcome, ScenarioResult } from '../model/report.js';
import type { CompiledScenario, CompiledSuite } from '../model/scenario.js';
import type { ScenarioEvidence } from '../report/assemble-report.js';
import { ALWAYS_REDACTED } from '../report/redact.js';
import { checkExpectation } from './expectations.js';
import { changesStateUnrestored, SAFE_METHODS } from './repeatability.js';

/** The mapping endpoint a step's request belongs to (none for an unmapped route). */
export interface StepEndpoint {
  id: string;
  endpoint?: CompiledEndpoint;
}

export interface GatewayDifference {
  /** The measured round (0-based) the difference was found in. */
  round: number;
  step: number;
  raw: RawDifference;
  /** Status of the gateway's answer the difference was found in. */
  status: number;
  /** The response-side steps that wrote the message when the checker translated the same exchange (undefined: no trace). */
  writers?: readonly TraceEntry[];
  /** Why there is no trace. */
  untraced?: string;
}

export interface JudgeInput {
  scenario: CompiledScenario;
  suite: CompiledSuite;
  endpoints: readonly StepEndpoint[];
  inventory: RuleInventory;
  lifecycle: Lifecycle;
  noise: NoiseModel;
  /** From every measured round, in order. */
  differences: readonly GatewayDifference[];
  /** Measured rounds whose answers were compared (a difference seen in fewer is intermittent). */
  completedRounds?: number;
  /** The judged (first) round's answers, when it completed. */
  judged?: {
    v1: readonly ObservedResponse[];
    gateway: readonly ObservedResponse[];
    direct?: { differences: ReadonlyArray<{ step: number; raw: RawDifference }>; failure?: { message: string; unanswered: boolean } };
  };
  /** Why the scenario could not be judged, if it could not. */
  error?: string;
}

export type ScenarioJudgement = Pick<ScenarioResult, 'outcome' | 'error' | 'differences' | 'expectations' | 'direct' | 'knownGap'> & { judgements: ScenarioEvidence['judgements'] };

/**
 * Labels every difference (now that all v1 answers have taught the noise model), checks the
 * expectations of the judged round, and decides the scenario's outcome and how it went for
 * each endpoint it touched.
 */
export function judgeScenario(input: JudgeInput): ScenarioJudgement {
  const { scenario, suite, endpoints, noise } = input;
  const ignore = [...scenario.ignore, ...suite.ignore];
  const label = (step: number, raw: RawDifference, actor: string, explain?: (raw: RawDifference) => Explanation | undefined) =>
    labelDifference(raw, { step, endpoint: endpoints[step]!.id, ignore, noise, actor, explain });

  const labelled = input.differences.map(({ round, step, raw, status, writers, untraced }) => ({
    round,
    difference: label(step, raw, 'the gateway', (difference) =>
      explainDifference(difference.segments, difference.v1, difference.actual, { endpoint: endpoints[step]!.endpoint, inventory: input.inventory, lifecycle: input.lifecycle, gatewayStatus: status, writers, untraced }),
    ),
  }));
  const differences = chargeSideEffects(scenario, endpoints, markIntermittent(worstPerPlace(labelled.map((l) => l.difference)), labelled, input.completedRounds));

  // Expectation sentences quote response values: the ones at secret places are redacted here.
  const secret = [...ALWAYS_REDACTED, ...suite.redact];
  const expectations: ScenarioResult['expectations'] = [];
  for (const target of ['v1', 'gateway'] as const) {
    (input.judged?.[target] ?? []).forEach((response, step) => {
      const expect = scenario.steps[step]?.expect;
      for (const message of expect ? checkExpectation(expect, response, secret) : []) expectations.push({ target, step, message });
    });
  }
  let error = input.error ?? unrepeatableError(scenario, noise);
  const v1Broken = expectations.find((e) => e.target === 'v1');
  if (!error && v1Broken) error = `v1 does not meet the scenario's own expectations (step ${v1Broken.step}: ${v1Broken.message}); fix the scenario, or v1 changed`;

  const outcome: ScenarioOutcome = error
    ? 'error'
    : differences.some((d) => d.label === 'unexplained') || expectations.some((e) => e.target === 'gateway')
      ? 'different'
      : differences.some((d) => d.label === 'explained')
        ? 'equivalent'
        : 'identical';

  const direct = input.judged?.direct ? judgeDirect(input.judged.direct, (step, raw) => label(step, raw, 'v2')) : undefined;
  const gatewayAnswers = input.judged?.gateway ?? [];
  const judgements = [...new Set(endpoints.map((e) => e.id))].map((id) => {
    const steps = endpoints.flatMap((e, step) => (e.id === id ? [step] : []));
    const removed = endpoints[steps[0]!]!.endpoint?.removed;
    const unexplainedAt = (list: Difference[]) => list.some((d) => d.label === 'unexplained' && (steps.includes(d.step!) || d.chargedTo?.includes(id)));
    const wroteBefore = (step: number) => steps.some((own) => own < step && !SAFE_METHODS.has(scenario.steps[own]!.request.method));
    return {
      endpoint: id,
      errored: error !== undefined,
      // A known gap is reported as it is, but accepted: it does not count against the endpoint.
      faithful:
        scenario.knownGap !== undefined ||
        (!unexplainedAt(differences) && !expectations.some((e) => e.target === 'gateway' && (steps.includes(e.step) || (SAFE_METHODS.has(scenario.steps[e.step]!.request.method) && wroteBefore(e.step))))),
      answeredAsRemoved: removed !== undefined && steps.every((step) => gatewayAnswers[step]?.status === removed.status),
      ...(direct ? { directFaithful: direct.outcome !== 'error' && !unexplainedAt(direct.differences) } : {}),
    };
  });
  return { outcome, ...(error ? { error } : {}), differences, expectations, ...(direct ? { direct } : {}), ...(scenario.knownGap !== undefined ? { knownGap: scenario.knownGap } : {}), judgements };
}

/**
 * Side effects are judged by the reads that follow: a difference in a read (a safe method) that
 * follows writes in the same scenario is charged to the endpoints of those writes as well, since
 * what the read shows is their effect (a DELETE whose cascade v2 skips breaks the next list).
 */
function chargeSideEffects(scenario: CompiledScenario, endpoints: readonly StepEndpoint[], differences: Difference[]): Difference[] {
  return differences.map((difference) => {
    const step = difference.step ?? 0;
    if (difference.label !== 'unexplained' || !SAFE_METHODS.has(scenario.steps[step]?.request.method ?? 'GET')) return difference;
    const writers = [
      ...new Set(
        scenario.steps
          .slice(0, step)
          .flatMap((earlier, index) => (!SAFE_METHODS.has(earlier.request.method) && endpoints[index]!.id !== endpoints[step]!.id ? [endpoints[index]!.id] : [])),
      ),
    ];
    return writers.length ? { ...difference, chargedTo: writers } : difference;
  });
}

/** A difference seen (with the label it is reported with) in only some compared rounds is labelled intermittent, with the count. */
function markIntermittent(kept: Difference[], all: ReadonlyArray<{ round: number; difference: Difference }>, completedRounds: number | undefined): Difference[] {
  if (!completedRounds || completedRounds < 2) return kept;
  const rounds = new Map<string, Set<number>>();
  for (const { round, difference } of all) {
    // Rounds that showed it as it is reported: a value a matcher accepted in one round and that
    // broke in two of three is a break seen in two rounds.
    const key = `${difference.step}\u0000${difference.pointer}\u0000${difference.label}`;
    let seen = rounds.get(key);
    if (!seen) rounds.set(key, (seen = new Set()));
    seen.add(round);
  }
  return kept.map((difference) => {
    const seen = rounds.get(`${difference.step}\u0000${difference.pointer}\u0000${difference.label}`)?.size ?? completedRounds;
    return seen < completedRounds && difference.label !== 'noise' ? { ...difference, intermittent: { rounds: seen, of: completedRounds } } : difference;
  });
}

function judgeDirect(direct: NonNullable<NonNullable<JudgeInput['judged']>['direct']>, label: (step: number, raw: RawDifference) => Difference): DirectResult {
  const differences = worstPerPlace(direct.differences.map(({ step, raw }) => label(step, raw)));
  const different = differences.some((d) => d.label === 'unexplained');
  if (!direct.failure) return { outcome: different ? 'different' : 'identical', differences };
  // A run that got answers but could not go on (a capture found nothing) already shows what breaks.
  return { outcome: different && !direct.failure.unanswered ? 'different' : 'error', error: direct.failure.message, differences };
}

const SEVERITY: Record<DifferenceLabel, number> = { noise: 0, explained: 1, unexplained: 2 };

/**
 * One difference per step and place: the most severe any round found there (unexplained over
 * explained over noise), the earliest among equals. A value a matcher accepted in round 0 and
 * that is null in round 3 is a break, not noise.
 */
function worstPerPlace(differences: Difference[]): Difference[] {
  const kept = new Map<string, Difference>();
  for (const difference of differences) {
    const key = `${difference.step}\u0000${difference.pointer}`;
    const before = kept.get(key);
    if (!before || SEVERITY[difference.label] > SEVERITY[before.label]) kept.set(key, difference);
  }
  return [...kept.values()];
}

/**
 * v1 answered a repeated request with another status: the runs did not start from the same
 * state, so neither noise nor later rounds can be judged against the first. The scenario cannot
 * be judged until every run starts from the same state.
 */
function unrepeatableError(scenario: CompiledScenario, noise: NoiseModel): string | undefined {
  const [first] = noise.unrepeatable();
  if (!first) return undefined;
  const request = scenario.steps[first.step]?.request;
  const what = request ? ` (${request.method} ${request.target})` : '';
  const fix = scenario.reset
    ? 'the reset hooks do not bring v1 back to the same state before each run; fix the v1 reset hook'
    : changesStateUnrestored(scenario)
      ? 'the scenario changes state and nothing restores it; add reset: true (with reset hooks in the suite) so every run starts from the same state'
      : 'v1 answers this request differently from one time to the next (its data changed under the scenario, or it is flaky); if the scenario depends on data, add reset: true';
  return `v1 is not repeatable for step ${first.step}${what}: it answered ${first.first}, then ${first.then} to the same request, so nothing was learnt as noise there and later runs saw another state; ${fix}`;
}
