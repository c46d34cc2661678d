import type { MappingDocument } from '../core/model/mapping.js';
import type { CompiledTable } from '../core/mapping/compiled.js';
import { buildRuleInventory } from '../core/mapping/rule-inventory.js';
import type { CompatReport, ScenarioResult, TargetName } from '../core/model/report.js';
import type { CompiledScenario, CompiledSuite } from '../core/model/scenario.js';
import { assembleReport, type EndpointMeasurements, type ScenarioEvidence, type UnmappedRoute } from '../core/report/assemble-report.js';
import { redactReport, scrubSecrets } from '../core/report/redact.js';
import { RunAborted, type HttpTarget } from './http-target.js';
import { runReset } from './reset.js';
import { runScenario, UNMAPPED_PREFIX, type LatencySample, type RequestOutcome, type ScenarioRun, type ScenarioTiming } from './run-scenario.js';
import { openTargets, type TargetOptions } from './targets.js';
import { summarizeLatency } from './timing.js';

export const CHECK_DEFAULTS = { repeat: 10, warmup: 2, concurrency: 1, timeoutMs: 10_000, performanceThreshold: 2.0, latencyAllowanceMs: 1 } as const;

export interface SuiteRunOptions {
  suite: CompiledSuite;
  table: CompiledTable;
  mappingDocument: MappingDocument;
  /** How the mapping is named in the report (a path relative to where the user ran the check). */
  mappingLabel?: string;
  targets: Omit<TargetOptions, 'table' | 'concurrency' | 'timeoutMs'>;
  repeat?: number;
  warmup?: number;
  concurrency?: number;
  timeoutMs?: number;
  performanceThreshold?: number;
  latencyAllowanceMs?: number;
  minScore?: number;
  /** Run only scenarios with at least one of these tags (all when empty). */
  tags?: string[];
  /** Untested endpoints do not keep the verdict from `ready`. */
  allowUntested?: boolean;
  stop: AbortSignal;
  tool: { version: string };
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { kind: 'start'; total: number }
  | { kind: 'scenario'; done: number; total: number; result: ScenarioResult }
  /** Something the reader of the summary should know that the report has no place for. */
  | { kind: 'note'; message: string }
  /** Where the run's time went (printed with --verbose). */
  | { kind: 'timing'; timing: SuiteTiming; durationMs: number };

/** Milliseconds spent per kind of call across the run, and per scenario. */
export interface SuiteTiming extends ScenarioTiming {
  scenarios: Array<{ name: string } & ScenarioTiming>;
}

/**
 * Runs a suite and returns its report. Scenarios run up to `concurrency` at a time, except
 * those that reset state: each of them waits for the others to finish and runs alone, so a
 * reset never pulls data from under another scenario. A stop signal (Ctrl-C) ends the run at
 * once with the scenarios that finished, marked partial.
 */
export async function runSuite(options: SuiteRunOptions): Promise<CompatReport> {
  const startedAt = new Date();
  const settings = {
    concurrency: options.concurrency ?? CHECK_DEFAULTS.concurrency,
    timeoutMs: options.timeoutMs ?? CHECK_DEFAULTS.timeoutMs,
    warmup: options.warmup ?? options.suite.warmup ?? CHECK_DEFAULTS.warmup,
    performanceThreshold: options.performanceThreshold ?? options.suite.performanceThreshold ?? CHECK_DEFAULTS.performanceThreshold,
    latencyAllowanceMs: options.latencyAllowanceMs ?? options.suite.latencyAllowanceMs ?? CHECK_DEFAULTS.latencyAllowanceMs,
  };
  const repeatFor = (scenario: CompiledScenario) => Math.max(1, scenario.repeat ?? options.repeat ?? options.suite.repeat ?? CHECK_DEFAULTS.repeat);
  const selected = options.tags?.length ? options.suite.scenarios.filter((s) => s.tags.some((tag) => options.tags!.includes(tag))) : options.suite.scenarios;
  const inventory = buildRuleInventory(options.table, options.mappingDocument);
  const targets = await openTargets({ ...options.targets, table: options.table, concurrency: settings.concurrency, timeoutMs: settings.timeoutMs });
  try {
    // v2 is asked only when given: a remote gateway's upstream may be out of the checker's reach.
    await ensureReachable([targets.v1, targets.gateway, ...(options.targets.v2Url && targets.reset.targets.v2 ? [targets.reset.targets.v2] : [])], options.stop);
  } catch (error) {
    await targets.close();
    throw error;
  }

  const timing: SuiteTiming = { reset: 0, v1: 0, gateway: 0, direct: 0, floor: 0, resets: 0, scenarios: [] };
  const evidence: ScenarioEvidence[] = [];
  const samples: LatencySample[] = [];
  const hops: ScenarioRun['hops'] = [];
  const baselines: ScenarioRun['baselines'] = [];
  const requests: RequestOutcome[] = [];
  const floorFailures: ScenarioRun['floorFailures'] = [];
  const secrets = new Set<string>();
  options.onProgress?.({ kind: 'start', total: selected.length });
  const runOne = async (scenario: CompiledScenario) => {
    try {
      const run = await runScenario(scenario, {
        suite: options.suite,
        table: options.table,
        inventory,
        targets,
        repeat: repeatFor(scenario),
        warmup: settings.warmup,
        latencyAllowanceMs: settings.latencyAllowanceMs,
        stop: options.stop,
      });
      evidence.push(run.evidence);
      for (const key of ['reset', 'v1', 'gateway', 'direct', 'floor', 'resets'] as const) timing[key] += run.timing[key];
      timing.scenarios.push({ name: scenario.name, ...run.timing });
      samples.push(...run.samples);
      hops.push(...run.hops);
      baselines.push(...run.baselines);
      requests.push(...run.requests);
      floorFailures.push(...run.floorFailures);
      run.secrets.forEach((secret) => secrets.add(secret));
      // The progress line quotes the error, so it is scrubbed like the report will be.
      const { result } = run.evidence;
      const shown = result.error === undefined ? result : { ...result, error: scrubSecrets(result.error, secrets) };
      options.onProgress?.({ kind: 'scenario', done: evidence.length, total: selected.length, result: shown });
    } catch (error) {
      // An interrupted scenario is left out of the partial report rather than half-judged.
      if (!(error instanceof RunAborted)) throw error;
    }
  };
  try {
    if (options.suite.resetBefore === 'run') {
      const started = performance.now();
      const hooks = (['v1', 'v2'] as const).flatMap((side) => (options.suite.reset[side] ? [[side, options.suite.reset[side]] as const] : []));
      await Promise.all(hooks.map(([side, hook]) => runReset(side, hook, targets.reset, options.stop)));
      timing.reset += performance.now() - started;
      timing.resets += hooks.length;
    }
    await schedule(selected, settings.concurrency, options.stop, runOne);
  } finally {
    await targets.close();
  }
  options.onProgress?.({ kind: 'timing', timing, durationMs: Date.now() - startedAt.getTime() });
  if (targets.floor?.unavailable) {
    const advice = options.targets.v2Url ? '' : '; pass --v2';
    options.onProgress?.({ kind: 'note', message: `v2 at ${targets.floor.baseUrl} could not be reached from the checker (${targets.floor.unavailable}); gateway overhead and rule coverage were not measured${advice}` });
  } else if (targets.floor?.failures) {
    const { failures, firstFailure } = targets.floor;
    options.onProgress?.({
      kind: 'note',
      message: `${failures} of the checker's own calls to v2 at ${targets.floor.baseUrl} failed (first: ${firstFailure}); gateway overhead and rule coverage were measured only where they succeeded`,
    });
  }

  const finishedAt = new Date();
  const report = assembleReport({
    suite: options.suite.name,
    mapping: options.mappingLabel,
    table: options.table,
    inventory,
    scenarios: evidence,
    measurements: measurementsOf(samples, requests, floorFailures, hops, baselines),
    unmapped: unmappedRoutes(evidence, options.table),
    options: {
      performanceThreshold: settings.performanceThreshold,
      latencyAllowanceMs: settings.latencyAllowanceMs,
      directRan: options.targets.direct,
      minScore: options.minScore,
      tags: options.tags ?? [],
      allowUntested: options.allowUntested ?? false,
    },
    partial: options.stop.aborted && evidence.length < selected.length,
    run: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      targets: targets.urls,
      repeat: options.repeat ?? options.suite.repeat ?? CHECK_DEFAULTS.repeat,
      concurrency: settings.concurrency,
      tool: { name: 'api-compat', version: options.tool.version },
      node: process.version,
    },
  });
  return redactReport(report, options.suite.redact, secrets);
}

/** A target that does not answer at all before the first scenario: the run cannot start (exit 3, no report). */
export class TargetsUnreachable extends Error {
  constructor(readonly failures: string[]) {
    super(failures.join('; '));
    this.name = 'TargetsUnreachable';
  }
}

async function ensureReachable(named: HttpTarget[], stop: AbortSignal): Promise<void> {
  const answers = await Promise.all(named.map(async (target) => ({ target, why: await target.unreachable(stop) })));
  const failures = answers.flatMap(({ target, why }) => (why ? [`${target.name} at ${target.baseUrl}: ${why}`] : []));
  if (failures.length) throw new TargetsUnreachable(failures);
}

/** Runs tasks in order with at most `limit` at once; a resetting scenario runs alone. */
async function schedule(scenarios: CompiledScenario[], limit: number, stop: AbortSignal, run: (scenario: CompiledScenario) => Promise<void>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const launch = (scenario: CompiledScenario) => {
    const task = run(scenario).finally(() => inFlight.delete(task));
    inFlight.add(task);
    return task;
  };
  for (const scenario of scenarios) {
    if (stop.aborted) break;
    if (scenario.reset) {
      await Promise.all(inFlight);
      if (stop.aborted) break;
      await launch(scenario);
      continue;
    }
    if (inFlight.size >= limit) await Promise.race(inFlight);
    if (stop.aborted) break;
    launch(scenario);
  }
  await Promise.all(inFlight);
}

/** The judged ratio in each measured round: the gateway's median against the baseline's (v1 plus a hop). */
function roundRatios(gateway: LatencySample[], baseline: ScenarioRun['baselines']): number[] {
  const rounds = [...new Set(gateway.map((sample) => sample.round))].sort((a, b) => a - b);
  return rounds.flatMap((round) => {
    const mine = gateway.filter((sample) => sample.round === round).map((sample) => sample.ms);
    const theirs = baseline.filter((sample) => sample.round === round).map((sample) => sample.ms);
    return mine.length && theirs.length ? [median(mine) / median(theirs)] : [];
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measurementsOf(
  samples: LatencySample[],
  requests: RequestOutcome[],
  floorFailures: ScenarioRun['floorFailures'],
  hops: ScenarioRun['hops'],
  baselines: ScenarioRun['baselines'],
): Map<string, EndpointMeasurements> {
  const hopMs = hops.length ? median(hops.map((hop) => hop.ms)) : undefined;
  const measurements = new Map<string, EndpointMeasurements>();
  const entry = (endpoint: string) => {
    let found = measurements.get(endpoint);
    if (!found) {
      found = { p50: {}, requests: { v1: { total: 0, failed: 0 }, gateway: { total: 0, failed: 0 } } };
      measurements.set(endpoint, found);
    }
    return found;
  };
  const byTarget = new Map<string, number[]>();
  for (const sample of samples) {
    const key = `${sample.endpoint}\u0000${sample.target}`;
    const values = byTarget.get(key);
    if (values) values.push(sample.ms);
    else byTarget.set(key, [sample.ms]);
  }
  const field: Partial<Record<TargetName, 'v1' | 'gateway' | 'floor'>> = { v1: 'v1', gateway: 'gateway', 'v2-floor': 'floor' };
  for (const [key, values] of byTarget) {
    const [endpoint, target] = key.split('\u0000') as [string, TargetName];
    const name = field[target];
    const summary = summarizeLatency(values);
    if (name && summary) entry(endpoint).p50[name] = summary.p50;
  }
  for (const [endpoint, found] of measurements) {
    const v1 = byTarget.get(`${endpoint}\u0000v1`) ?? [];
    const gateway = byTarget.get(`${endpoint}\u0000gateway`) ?? [];
    if (v1.length && gateway.length) found.samples = { v1: v1.length, gateway: gateway.length };
    const baseline = baselines.filter((sample) => sample.endpoint === endpoint);
    const summary = summarizeLatency(baseline.map((sample) => sample.ms));
    if (summary) found.p50.baseline = summary.p50;
    found.roundRatios = roundRatios(
      samples.filter((sample) => sample.endpoint === endpoint && sample.target === 'gateway'),
      baseline,
    );
    if (hopMs !== undefined) found.hopMs = Math.round(hopMs * 1000) / 1000;
  }
  for (const request of requests) {
    const tally = entry(request.endpoint).requests[request.target];
    tally.total++;
    if (request.failed) tally.failed++;
  }
  for (const { endpoint, reason } of floorFailures) entry(endpoint).floorFailure ??= reason;
  return measurements;
}

function unmappedRoutes(evidence: ScenarioEvidence[], table: CompiledTable): UnmappedRoute[] {
  const known = new Set(table.endpoints.map((endpoint) => endpoint.id));
  const ids = new Set(evidence.flatMap((e) => e.judgements.map((j) => j.endpoint)).filter((id) => !known.has(id)));
  return [...ids].map((id) => ({ id, v1: id.slice(UNMAPPED_PREFIX.length) }));
}
