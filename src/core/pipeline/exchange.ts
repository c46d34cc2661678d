import { CompatError } from '../errors.js';
import type { CompiledCall, CompiledEndpoint, CompiledTable } from '../mapping/compiled.js';
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

/**
 * One v1 request served by v2: translate, send the main call and any supporting calls (in
 * parallel unless they read the main response), merge, translate back. I/O happens only
 * through `send`, so the gateway, the checker and the dry run share this code.
 */
export async function exchange(
  table: CompiledTable,
  endpoint: CompiledEndpoint,
  v1Request: HttpMessage,
  send: SendUpstream,
  trace?: TraceEntry[],
): Promise<ExchangeResult> {
  const v2Request = translateRequest(endpoint, v1Request, trace);
  const upstreamRequests: ExchangeResult['upstreamRequests'] = [{ call: 'main', request: v2Request }];
  if (endpoint.calls.length === 0) {
    // The common case, kept free of the bookkeeping supporting calls need.
    const main = await send(v2Request, { endpoint: endpoint.id, call: 'main' });
    return { response: translateResponse(table, endpoint, main, trace), upstreamRequests };
  }
  const outbound = (call: CompiledCall, main?: HttpMessage) => sendCall(endpoint, call, v2Request, main, send, upstreamRequests);
  // An optional call may fail in any way (unreachable, timeout, bad JSON) without failing the
  // request; settling every call also lets the main call's own error answer win.
  const early = endpoint.calls.filter((call) => !call.afterMain);
  const [mainOutcome, ...earlyOutcomes] = await Promise.allSettled([
    send(v2Request, { endpoint: endpoint.id, call: 'main' }),
    ...early.map((call) => outbound(call)),
  ]);
  if (mainOutcome!.status === 'rejected') throw mainOutcome!.reason;
  const main = mainOutcome!.value;
  if (!isSuccessStatus(main.status) || endpoint.calls.length === 0) {
    return { response: translateResponse(table, endpoint, main, trace), upstreamRequests };
  }
  const late = endpoint.calls.filter((call) => call.afterMain);
  const lateOutcomes = await Promise.allSettled(late.map((call) => outbound(call, main)));
  let merged: unknown = main;
  [...early, ...late].forEach((call, i) => {
    const outcome = (i < early.length ? earlyOutcomes[i] : lateOutcomes[i - early.length])!;
    if (outcome.status === 'rejected') {
      if (call.optional) return;
      throw outcome.reason;
    }
    merged = mergeCall(endpoint, call, outcome.value, merged, trace);
  });
  return { response: translateResponse(table, endpoint, merged as HttpMessage, trace), upstreamRequests };
}

function sendCall(
  endpoint: CompiledEndpoint,
  call: CompiledCall,
  v2Request: HttpMessage,
  main: HttpMessage | undefined,
  send: SendUpstream,
  upstreamRequests: ExchangeResult['upstreamRequests'],
): Promise<HttpMessage> {
  const request = buildCallRequest(call, v2Request, main);
  upstreamRequests.push({ call: call.id, request });
  return send(request, { endpoint: endpoint.id, call: call.id });
}

function buildCallRequest(call: CompiledCall, v2Request: HttpMessage, main: HttpMessage | undefined): HttpMessage {
  const scope = { ...v2Request, main };
  const params: Record<string, string> = { ...v2Request.params };
  for (const [name, template] of call.params) params[name] = String(template(scope) ?? '');
  const query: Record<string, string> = {};
  for (const [name, template] of call.query) {
    const value = template(scope);
    if (value !== undefined && value !== null) query[name] = String(value);
  }
  const headers = { ...v2Request.headers };
  delete headers['content-type'];
  delete headers['content-length'];
  const body = call.body?.(scope);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return emptyMessage({ method: call.route.method, path: buildPath(call.route, params), params, query, headers, body });
}

function mergeCall(endpoint: CompiledEndpoint, call: CompiledCall, response: HttpMessage, main: unknown, trace?: TraceEntry[]): unknown {
  if (!isSuccessStatus(response.status)) {
    if (call.optional) return main;
    throw new CompatError('upstream-call-failed', `supporting call "${call.id}" (${call.route.method} ${call.route.template}) answered ${response.status}`, {
      endpoint: endpoint.id,
      call: call.id,
      upstreamStatus: response.status,
    });
  }
  try {
    const translated = runSteps(call.response, response, `call ${call.id}`, trace);
    let result = main;
    for (const merge of call.merges) {
      result = merge.apply(translated, result);
      trace?.push({ stage: `call ${call.id}`, op: 'merge', description: `\`${merge.from.text}\` of "${call.id}" merged into \`${merge.to.text}\`.`, pointer: call.pointer, changed: true });
    }
    return result;
  } catch (error) {
    if (call.optional) return main;
    throw asTranslationError(error, 'response-not-translatable', endpoint.id);
  }
}
