import { diffJson, type MatcherLookup, type RawDifference } from '../core/compare/diff-json.js';
import { NoiseModel } from '../core/compare/noise.js';
import { matchesExactly } from '../core/compare/path-pattern.js';
import { comparedView, type ComparedView } from '../core/compare/view.js';
import type { CompiledTable } from '../core/mapping/compiled.js';
import type { RuleInventory } from '../core/mapping/rule-inventory.js';
import type { ScenarioResult, TargetName } from '../core/model/report.js';
import type { CompiledScenario, CompiledSuite, Side } from '../core/model/scenario.js';
import { matchEndpoint } from '../core/pipeline/match.js';
import type { ScenarioEvidence } from '../core/report/assemble-report.js';
import { judgeScenario, type GatewayDifference, type JudgeInput, type StepEndpoint } from '../core/scenario/judge-scenario.js';
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
  stop: AbortSignal;
}

export interface LatencySample {
  endpoint: string;
  target: TargetName;
  ms: number;
}

export interface RequestOutcome {
  endpoint: string;
  target: 'v1' | 'gateway';
  failed: boolean;
}

export interface ScenarioRun {
  evidence: ScenarioEvidence;
  samples: LatencySample[];
  requests: RequestOutcome[];
}

/** Requests to v1 routes the mapping does not know are grouped under `unmapped GET /path`. */
export const UNMAPPED_PREFIX = 'unmapped ';

/**
 * Runs one scenario: warm-up rounds, then `repeat` measured rounds of v1, the gateway and the
 * v2 floor (each side reset first when the scenario asks). The first round is judged: v1 is
 * asked a second time to learn noise (after the gateway, so a millisecond clock has moved on),
 * and `--direct` runs. Labelling waits until every round has taught the noise model.
 */
export async function runScenario(scenario: CompiledScenario, options: ScenarioRunOptions): Promise<ScenarioRun> {
  const { suite, targets, stop } = options;
  const endpoints = scenario.steps.map((step) => stepEndpoint(options.table, step.request.method, step.request.target));
  const noise = new NoiseModel();
  const matcherAt = matcherLookup(scenario, suite);
  const views = (target: HttpTarget, record: RunRecord) => record.steps.map(({ response }) => comparedView(response, { headers: suite.compareHeaders, origin: target.origin }));

  const samples: LatencySample[] = [];
  const requests: RequestOutcome[] = [];
  const scenarioLatency: Partial<Record<TargetName, number[]>> = {};
  const differences: GatewayDifference[] = [];
  const exercised = new Set<string>();
  let judged: { v1: RunRecord; gateway: RunRecord; direct?: RunRecord } | undefined;
  let error: string | undefined;

  const run = async (side: Side, target: HttpTarget) => {
    const hook = suite.reset[side];
    if (scenario.reset && hook) await runReset(side, hook, targets.reset, stop);
    return runOnTarget(scenario, target, suite.headers, stop);
  };
  const floorRun = async (): Promise<FloorStepRecord[]> => {
    if (!targets.floor) return [];
    const hook = suite.reset.v2;
    if (scenario.reset && hook) await runReset('v2', hook, targets.reset, stop);
    return runOnFloor(scenario, targets.floor, options.table, options.inventory, suite.headers, stop);
  };
  const measure = (target: TargetName, steps: Array<{ ms?: number }>, complete: boolean) => {
    steps.forEach(({ ms }, step) => ms !== undefined && samples.push({ endpoint: endpoints[step]!.id, target, ms }));
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

  try {
    for (let round = 0; round < options.warmup; round++) {
      for (const [side, target] of [['v1', targets.v1], ['v2', targets.gateway]] as const) {
        stopOn(await run(side, target));
      }
      await floorRun();
    }
    let reference: ComparedView[] = [];
    for (let round = 0; round < options.repeat; round++) {
      const v1 = await run('v1', targets.v1);
      tally('v1', v1);
      stopOn(v1);
      measure('v1', timed(v1), true);
      const gateway = await run('v2', targets.gateway);
      tally('gateway', gateway);
      stopOn(gateway);
      measure('gateway', timed(gateway), true);
      const direct = round === 0 && targets.direct ? await run('v2', targets.direct) : undefined;
      if (direct) measure('direct', timed(direct), !direct.failure);
      const floor = await floorRun();
      floor.forEach((record) => record.exercised.forEach((rule) => exercised.add(rule)));
      measure('v2-floor', floor, floor.length === scenario.steps.length && floor.every((record) => record.ms !== undefined));

      const v1Views = views(targets.v1, v1);
      if (round === 0) {
        reference = v1Views;
        judged = { v1, gateway, direct };
        const again = await run('v1', targets.v1);
        tally('v1', again);
        stopOn(again);
        views(targets.v1, again).forEach((view, step) => noise.learn(step, reference[step]!, view));
      } else {
        v1Views.forEach((view, step) => noise.learn(step, reference[step]!, view));
      }
      views(targets.gateway, gateway).forEach((view, step) => {
        for (const raw of diffJson(v1Views[step], view, matcherAt)) differences.push({ step, raw, status: view.status, fired: floor[step]?.fired });
      });
    }
  } catch (failure) {
    if (!(failure instanceof TargetFailure)) throw failure;
    error = failure.message;
  }

  const judgement = judgeScenario({
    scenario,
    suite,
    endpoints,
    inventory: options.inventory,
    lifecycle: options.table.lifecycle,
    noise,
    differences,
    judged: judged && {
      v1: judged.v1.steps.map((s) => s.response),
      gateway: judged.gateway.steps.map((s) => s.response),
      direct: judged.direct && directComparison(views(targets.v1, judged.v1), views(targets.direct!, judged.direct), judged.direct, matcherAt),
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
          ...(judged.direct ? { direct: judged.direct.steps.map((s) => s.response.status) } : {}),
        }
      : {},
  };
  return { evidence: { result, judgements, exercised: [...exercised] }, samples, requests };
}

function directComparison(v1: ComparedView[], direct: ComparedView[], record: RunRecord, matcherAt: MatcherLookup): NonNullable<NonNullable<JudgeInput['judged']>['direct']> {
  const differences: Array<{ step: number; raw: RawDifference }> = direct.flatMap((view, step) => diffJson(v1[step], view, matcherAt).map((raw) => ({ step, raw })));
  return { differences, ...(record.failure ? { failure: { message: record.failure.error.message, unanswered: record.failure.unanswered } } : {}) };
}

function stepEndpoint(table: CompiledTable, method: string, target: string): StepEndpoint {
  const path = target.split('?', 1)[0]!;
  const match = matchEndpoint(table, method, path);
  return match ? { id: match.endpoint.id, endpoint: match.endpoint } : { id: `${UNMAPPED_PREFIX}${method} ${path}` };
}

function matcherLookup(scenario: CompiledScenario, suite: CompiledSuite): MatcherLookup {
  // The scenario's own matchers win over the suite's for the same place.
  const bindings = [...scenario.match, ...suite.match];
  if (bindings.length === 0) return () => undefined;
  return (segments) => bindings.find((binding) => matchesExactly(binding.pattern, segments))?.matcher;
}
