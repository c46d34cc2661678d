import { CompatError } from '../../src/core/errors.js';
import type { CompiledTable } from '../../src/core/mapping/compiled.js';
import { emptyMessage, type HttpMessage } from '../../src/core/model/http-message.js';
import { exchange } from '../../src/core/pipeline/exchange.js';
import { matchEndpoint } from '../../src/core/pipeline/match.js';
import type { TraceEntry } from '../../src/core/pipeline/trace.js';
import type { SendUpstream } from '../../src/core/ports.js';

/*
 * exchange() is pure apart from its `send` port: the v2 side here records what was sent and
 * answers from canned replies keyed by "METHOD /path" (or "METHOD /path?query" when given so).
 */
export type Reply = Partial<HttpMessage> | ((request: HttpMessage) => Partial<HttpMessage> | Promise<Partial<HttpMessage>>);

export interface Sent {
  call: string;
  request: HttpMessage;
}

export function fakeV2(replies: Record<string, Reply>): { send: SendUpstream; sent: Sent[] } {
  const sent: Sent[] = [];
  const send: SendUpstream = async (request, { call }) => {
    sent.push({ call, request: structuredClone(request) });
    const search = new URLSearchParams(Object.entries(request.query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))).toString();
    const reply = replies[`${request.method} ${request.path}?${search}`] ?? replies[`${request.method} ${request.path}`];
    if (reply === undefined) return emptyMessage({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: { type: 'https://v2.test/problems/not-found', title: 'Not Found', status: 404, detail: `no fake for ${request.method} ${request.path}` } });
    const answer = typeof reply === 'function' ? await reply(structuredClone(request)) : reply;
    return emptyMessage({ status: 200, headers: { 'content-type': 'application/json' }, ...structuredClone(answer) });
  };
  return { send, sent };
}

/** A v1 request routed through the table the way the gateway does: variants by query and headers. */
export function v1Request(table: CompiledTable, line: string, parts: Partial<HttpMessage> = {}): { request: HttpMessage; endpointId: string } {
  const [method, target] = line.split(' ') as [string, string];
  const [path, search = ''] = target.split('?') as [string, string?];
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const headers = parts.headers ?? {};
  const match = matchEndpoint(table, method, path, { query, headers });
  if (!match) throw new Error(`no endpoint of the test table matches ${line}`);
  return { request: emptyMessage({ method, path, params: match.params, query, ...parts, headers }), endpointId: match.endpoint.id };
}

export async function run(table: CompiledTable, line: string, send: SendUpstream, parts: Partial<HttpMessage> = {}, trace?: TraceEntry[]) {
  const { request, endpointId } = v1Request(table, line, parts);
  const compiled = table.endpoints.find((candidate) => candidate.id === endpointId)!;
  const target = line.split(' ')[1]!;
  return { endpointId, ...(await exchange(table, compiled, request, send, trace, { url: `https://api.test${target}` })) };
}

export async function compatError(promise: Promise<unknown>): Promise<CompatError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CompatError)) throw new Error(`expected a CompatError, got ${String(error)}`);
  return error;
}
