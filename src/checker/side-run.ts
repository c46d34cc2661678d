import type { ObservedResponse } from '../core/compare/view.js';
import type { CompiledTable } from '../core/mapping/compiled.js';
import type { RuleInventory } from '../core/mapping/rule-inventory.js';
import { exercisedRules } from '../core/mapping/rule-coverage.js';
import { matchEndpoint } from '../core/pipeline/match.js';
import { requestFacts } from './request-facts.js';
import type { CompiledScenario, RequestTemplate } from '../core/model/scenario.js';
import type { TraceEntry } from '../core/pipeline/trace.js';
import { getValue, isRecord } from '../core/transform/path.js';
import { fillTarget, fillValue, MissingCapture, type Captures } from '../core/scenario/placeholders.js';
import type { FloorTarget } from './floor.js';
import { TargetFailure, type HttpTarget, type OutgoingRequest, type TimedResponse } from './http-target.js';

export interface StepRecord {
  request: OutgoingRequest;
  response: TimedResponse;
}

/** One run of a scenario's steps on one target, with that side's own captures. */
export interface RunRecord {
  steps: StepRecord[];
  /** Set when the run stopped early; `step` is where; `unanswered` when a request got no answer at all. */
  failure?: { step: number; error: TargetFailure; unanswered: boolean };
}

export interface FloorStepRecord {
  ms?: number;
  /** The response-side steps that changed the v1 response in this exchange, in order, with where. */
  writers: TraceEntry[];
  exercised: string[];
  /** Why this exchange gave no answer or no time (the floor failed, or is off). */
  failure?: string;
}

/** Gateway problem codes that mean "v2 could not be asked", i.e. the scenario cannot be judged. */
const UPSTREAM_DOWN = new Set(['upstream-unreachable', 'upstream-timeout']);

export function fillRequest(template: RequestTemplate, suiteHeaders: Record<string, string>, captures: Captures): OutgoingRequest {
  const headers = fillValue({ ...suiteHeaders, ...template.headers }, captures) as Record<string, string>;
  return {
    method: template.method,
    target: fillTarget(template.target, captures),
    headers,
    ...(template.body !== undefined ? { body: fillValue(template.body, captures) } : {}),
    ...(template.bodyText !== undefined ? { bodyText: String(fillValue(template.bodyText, captures)) } : {}),
  };
}

export async function runOnTarget(scenario: CompiledScenario, target: HttpTarget, suiteHeaders: Record<string, string>, stop: AbortSignal): Promise<RunRecord> {
  const captures = new Map<string, unknown>();
  const steps: StepRecord[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    let request: OutgoingRequest;
    try {
      request = fillRequest(step.request, suiteHeaders, captures);
    } catch (error) {
      if (!(error instanceof MissingCapture)) throw error;
      return { steps, failure: { step: index, error: new TargetFailure(target.name, `step ${index}: ${error.message}`), unanswered: false } };
    }
    let response: TimedResponse;
    try {
      response = await target.send(request, stop);
    } catch (error) {
      if (!(error instanceof TargetFailure)) throw error;
      return { steps, failure: { step: index, error: new TargetFailure(target.name, `${target.name}, step ${index}: ${error.message}`), unanswered: true } };
    }
    steps.push({ request, response });
    const down = upstreamDown(target.name, response);
    if (down) return { steps, failure: { step: index, error: new TargetFailure(target.name, `${target.name}, step ${index} (${request.method} ${request.target}): ${down}`), unanswered: false } };
    const missing = capture(step.captures, response, captures);
    if (missing) {
      return { steps, failure: { step: index, error: new TargetFailure(target.name, `${target.name}, step ${index}: capture ${missing} found nothing in the answer (status ${response.status})`), unanswered: false } };
    }
  }
  return { steps };
}

/**
 * The same steps through the checker's own translation, straight to v2. Best effort: it only
 * measures overhead and rule coverage, so it stops quietly where it cannot go on.
 */
export async function runOnFloor(
  scenario: CompiledScenario,
  floor: FloorTarget,
  table: CompiledTable,
  inventory: RuleInventory,
  suiteHeaders: Record<string, string>,
  stop: AbortSignal,
): Promise<FloorStepRecord[]> {
  const captures = new Map<string, unknown>();
  const records: FloorStepRecord[] = [];
  for (const step of scenario.steps) {
    let request: OutgoingRequest;
    try {
      request = fillRequest(step.request, suiteHeaders, captures);
    } catch (error) {
      if (error instanceof MissingCapture) break;
      throw error;
    }
    const match = matchEndpoint(table, request.method, request.target.split('?', 1)[0]!, requestFacts(request.target, request.headers));
    if (!match) break;
    const result = await floor.exchange(match.endpoint, match.params, request, stop);
    records.push({
      ms: result.ms,
      writers: result.trace.filter((entry) => entry.changed && entry.stage !== 'request'),
      exercised: exercisedRules(inventory, match.endpoint.id, result.trace, result.request, result.response),
      ...(result.failure ? { failure: result.failure } : {}),
    });
    if (!result.response || capture(step.captures, result.response, captures)) break;
  }
  return records;
}

/** Stores the step's captures; returns the name of the first one that found nothing. */
function capture(wanted: CompiledScenario['steps'][number]['captures'], response: ObservedResponse, captures: Map<string, unknown>): string | undefined {
  const document = { status: response.status, headers: response.headers, body: response.body };
  for (const { name, path } of wanted) {
    const value = getValue(document, path);
    if (value === undefined || value === null) return `${name} (${path.text})`;
    captures.set(name, value);
  }
  return undefined;
}

function upstreamDown(targetName: string, response: TimedResponse): string | undefined {
  if (targetName !== 'gateway' || response.status < 500 || !isRecord(response.body)) return undefined;
  const code = response.body.code;
  if (typeof code !== 'string' || !UPSTREAM_DOWN.has(code)) return undefined;
  return `the gateway could not get an answer from v2 (${response.status} ${code}: ${String(response.body.detail ?? '')})`;
}
