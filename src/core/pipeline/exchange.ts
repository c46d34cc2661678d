import { CompatError } from '../errors.js';
import type { CompiledCall, CompiledEndpoint, CompiledTable } from '../mapping/compiled.js';
import { climbingSegment } from '../mapping/route.js';
import { newContext, snapshotRequest, type ExchangeContext } from '../model/exchange-context.js';
import { emptyMessage, isSuccessStatus, type HttpMessage } from '../model/http-message.js';
import type { SendUpstream } from '../ports.js';
import { buildPath, translateRequest, asTranslationError } from './request.js';
import { translateResponse } from './response.js';
import { runSteps, type TraceEntry } from './trace.js';

export interface ExchangeResult {
  response: HttpMessage;
  /** Every v2 request sent, in the order they were built. */
  upstreamRequests: Array<{ call: string; request: HttpMessage }>;
}

export interface ExchangeOptions {
  /** The absolute v1 URL as the client addressed it (`request.url`); the edge decides what to trust. */
  url?: string;
}

/**
 * One v1 request served by v2, as a pipeline of named stages (DESIGN 9): translate the
 * request, send the main call and the supporting calls (a small DAG: `after`, `when`,
 * `forEach`), merge and join their answers, translate the response. Every stage reads the v1
 * request as received through the context. I/O happens only through `send`, so the gateway, the
 * checker and the dry run share this code.
 */
export async function exchange(
  table: CompiledTable,
  endpoint: CompiledEndpoint,
  v1Request: HttpMessage,
  send: SendUpstream,
  trace?: TraceEntry[],
  options: ExchangeOptions = {},
): Promise<ExchangeResult> {
  const context = newContext(endpoint.id, snapshotRequest(v1Request, options.url ?? v1Request.path, endpoint.keepsRequestBody));
  const v2Request = translateRequest(endpoint, v1Request, trace, context);
  context.v2Request = v2Request;
  const upstreamRequests: ExchangeResult['upstreamRequests'] = [{ call: 'main', request: v2Request }];
  const sendMain = endpoint.handler ? handlerSend(endpoint, v2Request, context, send, upstreamRequests) : () => send(v2Request, { endpoint: endpoint.id, call: 'main' });
  if (endpoint.calls.length === 0) {
    // The common case, kept free of the bookkeeping supporting calls need.
    const main = await sendMain();
    context.responses.main = main;
    return { response: translateResponse(table, endpoint, main, trace, context), upstreamRequests };
  }
  const plan = new CallPlan(endpoint, v2Request, context, send, upstreamRequests, trace);
  const main = await plan.run(sendMain);
  if (!isSuccessStatus(main.status)) return { response: translateResponse(table, endpoint, main, trace, context), upstreamRequests };
  let merged: unknown = main;
  for (const call of endpoint.calls) merged = plan.merge(call, merged);
  return { response: translateResponse(table, endpoint, merged as HttpMessage, trace, context), upstreamRequests };
}

/** The endpoint's `handler:` in place of the main call, with a bounded `send`. */
function handlerSend(endpoint: CompiledEndpoint, v2Request: HttpMessage, context: ExchangeContext, send: SendUpstream, upstreamRequests: ExchangeResult['upstreamRequests']) {
  const handler = endpoint.handler!;
  return async () => {
    let calls = 0;
    const bounded = (request: HttpMessage) => {
      calls += 1;
      if (calls > handler.maxCalls) {
        return Promise.reject(new CompatError('too-many-calls', `handler ${handler.reference} of endpoint "${endpoint.id}" made more than ${handler.maxCalls} v2 calls`, { endpoint: endpoint.id, limit: handler.maxCalls }));
      }
      // A handler builds its paths itself, often from v2's data: a value such as ".." would
      // make it call another v2 route than the one it names.
      const climbing = climbingSegment(request.path);
      if (climbing !== undefined) {
        return Promise.reject(new CompatError('handler-failed', `handler ${handler.reference} of endpoint "${endpoint.id}" sent a path whose segment "${climbing}" would leave its place once decoded`, { endpoint: endpoint.id }));
      }
      const outgoing = emptyMessage({ ...request, headers: { ...v2Request.headers, ...request.headers } });
      upstreamRequests.push({ call: `handler#${calls}`, request: outgoing });
      return send(outgoing, { endpoint: endpoint.id, call: 'handler' });
    };
    try {
      return await handler.run(v2Request, { endpoint: endpoint.id, request: context.request, send: bounded });
    } catch (error) {
      if (error instanceof CompatError) throw error;
      throw new CompatError('handler-failed', `handler ${handler.reference} of endpoint "${endpoint.id}" failed: ${(error as Error)?.message ?? String(error)}`, { endpoint: endpoint.id }, { cause: error });
    }
  };
}

const NO_ITEMS: unknown[] = [];

type Outcome = { status: 'sent'; responses: HttpMessage[]; items: unknown[] } | { status: 'skipped'; reason: string } | { status: 'failed'; error: unknown };

/**
 * The supporting calls of one exchange. Calls run in waves: each wave sends, in parallel, every
 * call whose `after` dependencies have settled; a call whose condition is false, or whose
 * dependency was skipped or failed, is skipped. An optional call may fail in any way without
 * failing the request.
 */
class CallPlan {
  private readonly outcomes = new Map<string, Outcome>();

  constructor(
    private readonly endpoint: CompiledEndpoint,
    private readonly v2Request: HttpMessage,
    private readonly context: ExchangeContext,
    private readonly send: SendUpstream,
    private readonly upstreamRequests: ExchangeResult['upstreamRequests'],
    private readonly trace: TraceEntry[] | undefined,
  ) {}

  async run(sendMain: () => Promise<HttpMessage>): Promise<HttpMessage> {
    const pending = new Set(this.endpoint.calls);
    const firstWave = [...pending].filter((call) => call.after.length === 0);
    firstWave.forEach((call) => pending.delete(call));
    // The main call and the calls that need nothing from it go out together; settling them all
    // lets the main call's own error answer win over a failed supporting call.
    const [mainOutcome] = await Promise.allSettled([sendMain(), ...firstWave.map((call) => this.runCall(call))]);
    if (mainOutcome!.status === 'rejected') throw mainOutcome!.reason;
    const main = mainOutcome!.value;
    this.context.responses.main = main;
    this.outcomes.set('main', isSuccessStatus(main.status) ? { status: 'sent', responses: [main], items: [] } : { status: 'skipped', reason: `main answered ${main.status}` });
    if (!isSuccessStatus(main.status)) return main;
    while (pending.size > 0) {
      const wave = [...pending].filter((call) => call.after.every((id) => this.outcomes.has(id)));
      if (wave.length === 0) throw new Error(`calls of endpoint ${this.endpoint.id} wait on each other`); // the compiler rejects cycles
      wave.forEach((call) => pending.delete(call));
      await Promise.all(wave.map((call) => this.runCall(call)));
    }
    return main;
  }

  /** Never rejects: the outcome is recorded and judged when merging. */
  private async runCall(call: CompiledCall): Promise<void> {
    const blocked = call.after.find((id) => this.outcomes.get(id)?.status !== 'sent');
    if (blocked) return this.settle(call, { status: 'skipped', reason: `"${blocked}" was not answered` });
    if (call.when) {
      const held = call.when.test(this.v2Request, this.context);
      if (!held) return this.settle(call, { status: 'skipped', reason: `condition ${call.when.text} is false` }, false);
    }
    try {
      if (!call.forEach) {
        // One call, the common case: no item list to build or bound.
        this.settle(call, { status: 'sent', responses: [await this.sendOne(call, undefined)], items: NO_ITEMS }, call.when ? true : undefined);
        return;
      }
      const items = this.itemsOf(call);
      const responses = await mapBounded(items, call.forEach.concurrency, (item) => this.sendOne(call, item));
      this.settle(call, { status: 'sent', responses, items }, call.when ? true : undefined);
    } catch (error) {
      this.settle(call, { status: 'failed', error }, call.when ? true : undefined);
    }
  }

  private itemsOf(call: CompiledCall): unknown[] {
    const forEach = call.forEach!;
    const value = forEach.read(this.v2Request, this.context);
    const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    if (items.length > forEach.max) {
      const code = forEach.fromRequest ? 'request-too-many-items' : 'too-many-calls';
      throw new CompatError(code, `call "${call.id}" of endpoint "${this.endpoint.id}" would be made ${items.length} times (for each of ${forEach.text}); the limit is ${forEach.max}`, {
        endpoint: this.endpoint.id,
        call: call.id,
        limit: forEach.max,
      });
    }
    return items;
  }

  private async sendOne(call: CompiledCall, item: unknown): Promise<HttpMessage> {
    const scope: ExchangeContext = call.forEach ? { ...this.context, item } : this.context;
    const request = buildCallRequest(call, this.v2Request, scope);
    this.upstreamRequests.push({ call: call.id, request });
    const response = await this.send(request, { endpoint: this.endpoint.id, call: call.id });
    if (!isSuccessStatus(response.status)) {
      throw new CompatError('upstream-call-failed', `supporting call "${call.id}" (${request.method} ${request.path}) answered ${response.status}`, {
        endpoint: this.endpoint.id,
        call: call.id,
        upstreamStatus: response.status,
      });
    }
    try {
      return runSteps(call.response, response, `call ${call.id}`, this.trace, scope) as HttpMessage;
    } catch (error) {
      throw asTranslationError(error, 'response-not-translatable', this.endpoint.id);
    }
  }

  /** `conditionHeld`: how the call's `when:` came out, when it was evaluated (for the trace). */
  private settle(call: CompiledCall, outcome: Outcome, conditionHeld?: boolean): void {
    this.outcomes.set(call.id, outcome);
    if (outcome.status === 'sent') this.context.responses[call.id] = call.forEach ? outcome.responses : outcome.responses[0];
    if (this.trace) {
      const entry: TraceEntry = {
        stage: `call ${call.id}`,
        op: 'call',
        description:
          outcome.status === 'sent'
            ? `${call.route.method} ${call.route.template} sent${call.forEach ? ` ${outcome.responses.length} time(s), once for each of ${call.forEach.text}` : ''}.`
            : outcome.status === 'skipped'
              ? `${call.route.method} ${call.route.template} skipped: ${outcome.reason}.`
              : `${call.route.method} ${call.route.template} failed: ${(outcome.error as Error)?.message ?? String(outcome.error)}.`,
        pointer: call.pointer,
        changed: outcome.status === 'sent',
      };
      if (call.when && conditionHeld !== undefined) entry.condition = { text: call.when.text, held: conditionHeld };
      this.trace.push(entry);
    }
  }

  /** Merges and joins one call's answers into the main response, in table order. */
  merge(call: CompiledCall, main: unknown): unknown {
    const outcome = this.outcomes.get(call.id);
    if (!outcome || outcome.status === 'skipped') return main;
    if (outcome.status === 'failed') {
      if (call.optional) return main;
      throw outcome.error;
    }
    let result = main;
    try {
      outcome.responses.forEach((response, index) => {
        const scope: ExchangeContext = call.forEach ? { ...this.context, item: outcome.items[index] } : this.context;
        for (const merge of call.merges) result = merge.apply(response, result, scope);
      });
      for (const join of call.joins) join.apply(outcome.responses, result);
    } catch (error) {
      if (call.optional) return main;
      throw asTranslationError(error, 'response-not-translatable', this.endpoint.id);
    }
    if (this.trace) {
      for (const merge of call.merges) this.trace.push({ stage: `call ${call.id}`, op: 'merge', description: `\`${merge.from.text}\` of "${call.id}" merged into \`${merge.to.text}\`.`, pointer: call.pointer, changed: true });
      for (const join of call.joins) this.trace.push({ stage: `call ${call.id}`, op: 'join', description: join.description, pointer: call.pointer, changed: true });
    }
    return result;
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

function buildCallRequest(call: CompiledCall, v2Request: HttpMessage, context: ExchangeContext): HttpMessage {
  const params: Record<string, string> = { ...v2Request.params };
  for (const [name, template] of call.params) params[name] = String(template(v2Request, context) ?? '');
  const query: Record<string, string> = {};
  for (const [name, template] of call.query) {
    const value = template(v2Request, context);
    if (value !== undefined && value !== null && value !== '') query[name] = String(value);
  }
  const headers = { ...v2Request.headers };
  delete headers['content-type'];
  delete headers['content-length'];
  const body = call.body?.(v2Request, context);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return emptyMessage({ method: call.route.method, path: callPath(call, params), params, query, headers, body });
}

/**
 * A call that reads v2's answers (`main.…`, another call, a list from v2) gets its path values
 * from v2: one that would climb or split a segment (`..`, `a/b`) is v2's fault, a 502, not the
 * client's 400.
 */
function callPath(call: CompiledCall, params: Record<string, string>): string {
  try {
    return buildPath(call.route, params);
  } catch (error) {
    const fromV2 = call.afterMain || call.after.length > 0 || (call.forEach !== undefined && !call.forEach.fromRequest);
    if (fromV2 && error instanceof CompatError && error.code === 'invalid-path-parameter') {
      throw new CompatError('response-not-translatable', `supporting call "${call.id}": a path value from v2's answer would change which v2 route is called (${error.message})`, error.extensions);
    }
    throw error;
  }
}
