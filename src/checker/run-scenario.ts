import { diffJson, type MatcherLookup, type RawDifference } from '../core/compare/diff-json.js';
import { NoiseModel } from '../core/compare/noise.js';
import { matchesExactly } from '../core/compare/path-pattern.js';
import { comparedView, type ComparedView } from '../core/compare/view.js';
import type { CompiledTable } from '../core/mapping/compiled.js';
import type { RuleInventory } from '../core/mapping/rule-inventory.js';
import type { ScenarioResult, TargetName } from '../core/model/report.js';
import type { RequestTemplate, CompiledScenario, CompiledSuite, Side } from '../core/model/scenario.js';
import { matchEndpoint } from '../core/pipeline/match.js';
import { requestFacts } from './request-facts.js';
import type { ScenarioEvidence } from '../core/report/assemble-report.js';
import { secretStrings } from '../core/report/redact.js';
import { judgeScenario, type GatewayDifference, type JudgeInput, type StepEndpoint } from '../core/scenario/judge-scenario.js';
import { changesStateUnrestored, SAFE_METHODS } from '../core/scenario/repeatability.js';
import type { FloorTarget } from './floor.js';
import { TargetFailure, type HttpTarget } from './http-target.js';
import { runReset, type ResetContext } from './reset.js';
import { runOnFloor, runOnTarget, type FloorStepRecord, type RunRecord } from './side-run.js';
import { summarizeLatency } from './timing.js';

export interface ScenarioTargets {
  v1: HttpTarget;
  gateway: HttpTarget;
  direct?: HttpTarget;
  floor?: FloorTarget;
  reset: ResetContext;
}

export interface ScenarioRunOptions {
  suite: CompiledSuite;
  table: CompiledTable;
  inventory: RuleInventory;
  targets: ScenarioTargets;
  /** Measured rounds (the first is also the judged one). */
  repeat: number;
  warmup: number;
  /** The least the gateway's hop is granted, per request (--latency-allowance). */
  latencyAllowanceMs: number;
  stop: AbortSignal;
}

export interface LatencySample {
  endpoint: string;
  target: TargetName;
  ms: number;
  /** The measured round (0-based) it was taken in. */
  round: number;
}

export interface RequestOutcome {
  endpoint: string;
  target: 'v1' | 'gateway';
  failed: boolean;
}

/** Where a scenario's time went, in milliseconds (for --verbose), and how many reset hooks ran. */
export interface ScenarioTiming {
  reset: number;
  v1: number;
  gateway: number;
  direct: number;
  floor: number;
  resets: number;
}

/**
 * Asked of the gateway once per measured round: a route no mapping has, so the gateway answers it
 * itself. Its time is what one hop through the gateway costs right now, the allowance the latency
 * ratio grants for the hop a gateway necessarily adds (on a busy machine far more than 1 ms).
 */
export const HOP_PROBE_PATH = '/.well-known/api-compat/hop';

export interface ScenarioRun {
  timing: ScenarioTiming;
  /** Times of the hop probe, per measured round. */
  hops: Array<{ round: number; ms: number }>;
  /**
   * What the gateway is judged against, per v1 sample: v1's time plus that round's hop through
   * the gateway (at least the configured allowance). Sample by sample, so the baseline meets as
   * many hops, and as many of a busy machine's stalls, as the gateway does.
   */
  baselines: Array<{ endpoint: string; round: number; ms: number }>;
  evidence: ScenarioEvidence;
  samples: LatencySample[];
  requests: RequestOutcome[];
  /** Why the v2 floor gave no time for an endpoint's exchange, each time it could not. */
  floorFailures: Array<{ endpoint: string; reason: string }>;
  /** Secret strings this scenario's requests and answers held, to scrub from the report's text. */
  secrets: string[];
}

const DIRECT_NOT_RUN =
  'not run: the scenario changes state without reset: true, and v1 requests sent to v2 unchanged would change it on one side only; add reset: true to compare v2 directly';

/** Requests to v1 routes the mapping does not know are grouped under `unmapped GET /path`. */
export const UNMAPPED_PREFIX = 'unmapped ';

/**
 * Runs one scenario: warm-up rounds, then `repeat` measured rounds of v1, the gateway and the
 * v2 floor (each side reset first when the scenario asks). The first round is judged: v1 is
 * asked a second time to learn noise (after the gateway, so a millisecond clock has moved on),
 * and `--direct` runs. Labelling waits until every round has taught the noise model.
 *
 * Every round compares v1 and the gateway in the same state. A scenario that resets starts each
 * run (every side, the floor and --direct included) from the reset state; one of safe methods
 * only changes nothing. One that changes state without a reset (a POST, a DELETE, no
 * `reset: true`) must get the same calls on both sides, or each round compares v1 after k runs
 * with v2 after 2k (the floor sends the same creates to v2 once more) and leaves the two apart
 * for the scenarios after it. So for it:
 * - v1 is not asked an extra time for noise; noise is learnt from the rounds, of which there
 *   are at least two (a second round is run when --repeat is 1);
 * - the floor runs once, after the compared rounds, paired with one more v1 run (its translated
 *   calls reach v2's real endpoints, so they change v2 as the gateway's do);
 * - `--direct` does not run: v1 requests sent unchanged may or may not change v2 (a route v2
 *   no longer has answers 404), so no v1 call can be paired with them; the direct result says
 *   so, and such a scenario cannot show an endpoint `ready`.
 * Whatever the scenario, a step v1 answers with another status when it is repeated (204, then
 * 404 for a DELETE) teaches no noise and makes the scenario an error saying why (see NoiseModel).
 */
export async function runScenario(scenario: CompiledScenario, options: ScenarioRunOptions): Promise<ScenarioRun> {
  const { suite, targets, stop } = options;
  const endpoints = scenario.steps.map((step) => stepEndpoint(options.table, step.request, suite.headers));
  const noise = new NoiseModel();
  const matcherAt = matcherLookup(scenario, suite);
  const compareHeaders = scenario.compareHeaders ?? suite.compareHeaders;
  const views = (target: HttpTarget, record: RunRecord) =>
    record.steps.map(({ response }) => comparedView(response, { headers: compareHeaders, origin: target.origin, strictContentType: suite.strictContentType }));
  const unrestored = changesStateUnrestored(scenario);
  const rounds = unrestored ? Math.max(2, options.repeat) : options.repeat;
  const warmup = scenario.warmup ?? options.warmup;
  /** Whether a run changes state, so the next run on the same side needs a reset of its own. */
  const mutates = scenario.steps.some((step) => !SAFE_METHODS.has(step.request.method));
  const judgedSteps = scenario.steps.map((step) => step.judge);

  const samples: LatencySample[] = [];
  const requests: RequestOutcome[] = [];
  const floorFailures: ScenarioRun['floorFailures'] = [];
  const secrets = new Set<string>();
  const scenarioLatency: Partial<Record<TargetName, number[]>> = {};
  const compared: Array<{ round: number; step: number; raw: RawDifference; status: number }> = [];
  const floorByRound: Array<FloorStepRecord[] | undefined> = [];
  let floorAfter: FloorStepRecord[] | undefined;
  const exercised = new Set<string>();
  const timing: ScenarioTiming = { reset: 0, v1: 0, gateway: 0, direct: 0, floor: 0, resets: 0 };
  let completedRounds = 0;
  const hops: ScenarioRun['hops'] = [];
  const baselines: ScenarioRun['baselines'] = [];
  const probeHop = async (round: number) => {
    try {
      const answer = await targets.gateway.send({ method: 'GET', target: HOP_PROBE_PATH, headers: {} }, stop);
      hops.push({ round, ms: answer.ms });
    } catch (failure) {
      // Only a measurement: a gateway that will not answer it keeps the configured allowance.
      if (!(failure instanceof TargetFailure)) throw failure;
    }
  };
  let judged: { v1: RunRecord; gateway: RunRecord; direct?: { v1: RunRecord; run: RunRecord } } | undefined;
  let error: string | undefined;

  /** Resets the given sides at once (they are independent), when the scenario asks for resets. */
  const reset = async (...sides: Side[]) => {
    const hooks = scenario.reset ? sides.flatMap((side) => (suite.reset[side] ? [[side, suite.reset[side]] as const] : [])) : [];
    if (hooks.length === 0) return;
    const started = performance.now();
    try {
      await Promise.all(hooks.map(([side, hook]) => runReset(side, hook, targets.reset, stop)));
    } finally {
      timing.reset += performance.now() - started;
      timing.resets += hooks.length;
    }
  };
  const run = async (target: HttpTarget, spent: 'v1' | 'gateway' | 'direct') => {
    const started = performance.now();
    const record = await runOnTarget(scenario, target, suite.headers, stop);
    timing[spent] += performance.now() - started;
    for (const { request, response } of record.steps) {
      for (const secret of [...secretStrings(request, suite.redact), ...secretStrings(response, suite.redact)]) secrets.add(secret);
    }
    return record;
  };
  const floorRun = async (measured: boolean, round = 0): Promise<FloorStepRecord[]> => {
    if (!targets.floor) return [];
    if (mutates) {
      // The gateway's run changed v2: the floor starts again from the reset state.
      try {
        await reset('v2');
      } catch (failure) {
        // The floor only measures: a reset that fails for it skips this floor run, no more.
        if (!(failure instanceof TargetFailure)) throw failure;
        for (const endpoint of endpoints) floorFailures.push({ endpoint: endpoint.id, reason: `the v2 reset before the floor run failed: ${failure.message}` });
        return [];
      }
    }
    const started = performance.now();
    const records = await runOnFloor(scenario, targets.floor, options.table, options.inventory, suite.headers, stop);
    timing.floor += performance.now() - started;
    records.forEach((record) => record.exercised.forEach((rule) => exercised.add(rule)));
    const failed = records.findIndex((record) => record.failure);
    if (failed >= 0) {
      const reason = records[failed]!.failure!;
      floorFailures.push({ endpoint: endpoints[failed]!.id, reason });
      for (const later of endpoints.slice(failed + 1)) floorFailures.push({ endpoint: later.id, reason: `the v2 floor stopped at step ${failed}: ${reason}` });
    }
    if (measured) measure('v2-floor', records, records.length === scenario.steps.length && records.every((record) => record.ms !== undefined), round);
    return records;
  };
  const measure = (target: TargetName, steps: Array<{ ms?: number }>, complete: boolean, round: number) => {
    steps.forEach(({ ms }, step) => ms !== undefined && samples.push({ endpoint: endpoints[step]!.id, target, ms, round }));
    if (complete) (scenarioLatency[target] ??= []).push(steps.reduce((sum, { ms }) => sum + (ms ?? 0), 0));
  };
  const timed = (record: RunRecord) => record.steps.map(({ response }) => ({ ms: response.ms }));
  /** Counts answers (5xx is a failure) and requests that got none, for the error-rate component. */
  const tally = (target: 'v1' | 'gateway', record: RunRecord) => {
    record.steps.forEach(({ response }, step) => requests.push({ endpoint: endpoints[step]!.id, target, failed: response.status >= 500 }));
    if (record.failure?.unanswered) requests.push({ endpoint: endpoints[record.failure.step]!.id, target, failed: true });
  };
  const stopOn = (record: RunRecord) => {
    if (record.failure) throw record.failure.error;
  };
  /** A v1 run that is not compared: it still has to answer every step with the status v1 gave first. */
  const v1Unjudged = async () => {
    if (mutates) await reset('v1');
    const record = await run(targets.v1, 'v1');
    tally('v1', record);
    stopOn(record);
    record.steps.forEach(({ response }, step) => noise.observe(step, response.status));
    return record;
  };
  /**
   * A resetting scenario that changes state runs the floor in the judged round only: every round
   * starts from the same reset state, so that round's trace stands for all of them, and the
   * other rounds need one reset per side instead of one per call.
   */
  const floorEveryRound = !(scenario.reset && mutates);

  try {
    for (let round = 0; round < warmup; round++) {
      await reset('v1', 'v2');
      const v1 = await run(targets.v1, 'v1');
      stopOn(v1);
      v1.steps.forEach(({ response }, step) => noise.observe(step, response.status));
      stopOn(await run(targets.gateway, 'gateway'));
      if (!unrestored && floorEveryRound) await floorRun(false);
    }
    let reference: ComparedView[] = [];
    for (let round = 0; round < rounds; round++) {
      await reset('v1', 'v2');
      const v1 = await run(targets.v1, 'v1');
      tally('v1', v1);
      stopOn(v1);
      measure('v1', timed(v1), true, round);
      const gateway = await run(targets.gateway, 'gateway');
      tally('gateway', gateway);
      stopOn(gateway);
      measure('gateway', timed(gateway), true, round);
      await probeHop(round);
      const hop = hops.at(-1)?.round === round ? hops.at(-1)!.ms : 0;
      v1.steps.forEach(({ response }, step) => baselines.push({ endpoint: endpoints[step]!.id, round, ms: response.ms + Math.max(options.latencyAllowanceMs, hop) }));
      let direct: RunRecord | undefined;
      if (!unrestored) {
        if (round === 0 && targets.direct) {
          if (mutates) await reset('v2');
          direct = await run(targets.direct, 'direct');
          measure('direct', timed(direct), !direct.failure, round);
        }
        if (round === 0 || floorEveryRound) floorByRound[round] = await floorRun(true, round);
      }

      const v1Views = views(targets.v1, v1);
      if (round === 0) {
        reference = v1Views;
        judged = { v1, gateway, ...(direct ? { direct: { v1, run: direct } } : {}) };
        if (!unrestored) {
          const again = await v1Unjudged();
          views(targets.v1, again).forEach((view, step) => noise.learn(step, reference[step]!, view));
        }
      } else {
        v1Views.forEach((view, step) => noise.learn(step, reference[step]!, view));
      }
      views(targets.gateway, gateway).forEach((view, step) => {
        if (!judgedSteps[step]) return;
        for (const raw of diffJson(v1Views[step], view, matcherAt)) compared.push({ round, step, raw, status: view.status });
      });
      completedRounds++;
    }
    if (unrestored && judged) {
      if (targets.floor && !targets.floor.unavailable) {
        await v1Unjudged();
        floorAfter = await floorRun(true, rounds);
      }
    }
  } catch (failure) {
    if (!(failure instanceof TargetFailure)) throw failure;
    error = failure.message;
  }

  // A floor exchange that failed traced only part of the translation: its rules are unknown.
  const traceAt = (round: number, step: number): Pick<GatewayDifference, 'writers' | 'untraced'> => {
    const record = (floorByRound[round] ?? (floorEveryRound ? undefined : floorByRound[0]) ?? floorAfter)?.[step];
    if (record && !record.failure) return { writers: record.writers };
    return { untraced: record?.failure ?? (targets.floor?.unavailable ? `v2 could not be reached from the checker (${targets.floor.unavailable})` : 'the checker did not translate this exchange itself') };
  };
  const differences: GatewayDifference[] = compared.map(({ round, step, raw, status }) => ({ round, step, raw, status, ...traceAt(round, step) }));
  const judgement = judgeScenario({
    scenario,
    suite,
    endpoints,
    inventory: options.inventory,
    lifecycle: options.table.lifecycle,
    noise,
    differences,
    completedRounds,
    judged: judged && {
      v1: judged.v1.steps.map((s) => s.response),
      gateway: judged.gateway.steps.map((s) => s.response),
      direct: judged.direct
        ? directComparison(views(targets.v1, judged.direct.v1), views(targets.direct!, judged.direct.run), judged.direct.run, matcherAt)
        : unrestored && targets.direct
          ? { differences: [], failure: { message: DIRECT_NOT_RUN, unanswered: true } }
          : undefined,
    },
    error,
  });
  const { judgements, ...verdict } = judgement;
  const result: ScenarioResult = {
    name: scenario.name,
    endpoints: [...new Set(endpoints.map((e) => e.id))],
    tags: [...scenario.tags],
    ...verdict,
    latency: Object.fromEntries(
      Object.entries(scenarioLatency).flatMap(([target, values]) => {
        const summary = summarizeLatency(values);
        return summary ? [[target, summary]] : [];
      }),
    ),
    statuses: judged
      ? {
          v1: judged.v1.steps.map((s) => s.response.status),
          gateway: judged.gateway.steps.map((s) => s.response.status),
          ...(judged.direct ? { direct: judged.direct.run.steps.map((s) => s.response.status) } : {}),
        }
      : {},
  };
  return { evidence: { result, judgements, exercised: [...exercised] }, samples, requests, floorFailures, secrets: [...secrets], timing, hops, baselines };
}

function directComparison(v1: ComparedView[], direct: ComparedView[], record: RunRecord, matcherAt: MatcherLookup): NonNullable<NonNullable<JudgeInput['judged']>['direct']> {
  const differences: Array<{ step: number; raw: RawDifference }> = direct.flatMap((view, step) => diffJson(v1[step], view, matcherAt).map((raw) => ({ step, raw })));
  return { differences, ...(record.failure ? { failure: { message: record.failure.error.message, unanswered: record.failure.unanswered } } : {}) };
}

/** The endpoint a step exercises: route variants are told apart by the step's query and headers, as the gateway does. */
function stepEndpoint(table: CompiledTable, request: RequestTemplate, suiteHeaders: Record<string, string>): StepEndpoint {
  const { method, target } = request;
  const path = target.split('?', 1)[0]!;
  const match = matchEndpoint(table, method, path, requestFacts(target, { ...suiteHeaders, ...request.headers }));
  return match ? { id: match.endpoint.id, endpoint: match.endpoint } : { id: `${UNMAPPED_PREFIX}${method} ${path}` };
}

function matcherLookup(scenario: CompiledScenario, suite: CompiledSuite): MatcherLookup {
  // The scenario's own matchers win over the suite's for the same place.
  const bindings = [...scenario.match, ...suite.match];
  if (bindings.length === 0) return () => undefined;
  return (segments) => bindings.find((binding) => matchesExactly(binding.pattern, segments))?.matcher;
}
