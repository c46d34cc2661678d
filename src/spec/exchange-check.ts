import fc from 'fast-check';
import type { CompiledEndpoint, CompiledTable } from '../core/mapping/compiled.js';
import { emptyMessage, headerText, isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import { exchange } from '../core/pipeline/exchange.js';
import type { TraceEntry } from '../core/pipeline/trace.js';
import { arbitraryFor } from './arbitrary.js';
import { routeKey, type Schema, type SpecDocument, type SpecOperation, type SpecResponse } from './model.js';
import { validateValue } from './schema-validator.js';

/**
 * One v1 request run through a mapping endpoint against generated v2 answers, the way the
 * gateway would (the pipeline's own `exchange`, with a send that answers from the v2 document),
 * and the problems found when the v2 requests are held against the v2 document and the v1
 * response against the v1 document. `verify` asserts there are none; coverage reads which
 * places are clean.
 */
export interface ExchangeSample {
  v1Request: HttpMessage;
  /** The main call's v2 answer, then supporting calls' by id. */
  v2Responses: Record<string, HttpMessage>;
}

export interface ExchangeOutcome {
  v2Requests: Array<{ call: string; request: HttpMessage }>;
  v1Response?: HttpMessage;
  /** The gateway's own failure (a step could not translate), as the client would get it. */
  failure?: { code: string; message: string };
  trace: TraceEntry[];
  problems: ExchangeProblem[];
}

export interface ExchangeProblem {
  side: 'request' | 'response';
  /** Message path: `status`, `headers.content-type`, `query.q`, `params.id`, `body`. */
  at: string;
  /** JSON pointer inside the body when `at` is `body`. */
  pointer: string;
  message: string;
  call?: string;
}

export function findOperation(spec: SpecDocument, method: string, path: string): SpecOperation | undefined {
  const key = routeKey(method, path);
  return spec.operations.find((operation) => routeKey(operation.method, operation.path) === key);
}

/** The operation of `spec` a concrete request path reaches, with its decoded path parameters. */
export function matchOperation(spec: SpecDocument, method: string, path: string): { operation: SpecOperation; params: Record<string, string> } | undefined {
  const segments = path.split('/').slice(1);
  for (const operation of spec.operations) {
    if (operation.method !== method.toUpperCase()) continue;
    const template = operation.path.split('/').slice(1);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name) {
        params[name] = decodeURIComponent(segments[i]!);
        return segments[i] !== '';
      }
      return part === segments[i];
    });
    if (matches) return { operation, params };
  }
  return undefined;
}

export function jsonMedia(content: Record<string, { schema?: Schema }>): [string, Schema] | undefined {
  const entry = Object.entries(content).find(([mediaType, media]) => isJsonMediaType(mediaType) && media.schema);
  return entry ? [entry[0], entry[1].schema!] : undefined;
}

const SAFE_SEGMENT = (value: string) => value !== '' && value !== '.' && value !== '..' && !/[/\\%]/.test(value);

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Generated v1 requests for an operation: path, query and header parameters, and a JSON body. */
export function v1RequestArbitrary(operation: SpecOperation): fc.Arbitrary<HttpMessage> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const params = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, arbitraryFor(p.schema).map(textOf).filter(SAFE_SEGMENT)])));
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const query = fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, arbitraryFor(p.schema).map((value) => (Array.isArray(value) ? value.map(textOf) : textOf(value)))])),
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const headerParams = operation.parameters.filter((p) => p.in === 'header' && p.required);
  const headers = fc.record(Object.fromEntries(headerParams.map((p) => [p.name, arbitraryFor(p.schema).map(textOf)])));
  const media = operation.requestBody ? jsonMedia(operation.requestBody.content) : undefined;
  const body: fc.Arbitrary<unknown> = media ? (operation.requestBody!.required ? arbitraryFor(media[1]) : fc.option(arbitraryFor(media[1]), { nil: undefined })) : fc.constant(undefined);
  return fc.tuple(params, query, headers, body).map(([p, q, h, b]) => {
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(p[name])));
    const allHeaders: Record<string, string> = { ...(h as Record<string, string>) };
    if (b !== undefined && media) allHeaders['content-type'] = media[0];
    return emptyMessage({ method: operation.method, path, params: { ...(p as Record<string, string>) }, query: { ...(q as Record<string, string | string[]>) }, headers: allHeaders, body: b });
  });
}

/** A numeric status for a documented one: `4XX` -> 400, `default` -> 500. */
export function concreteStatus(status: string): number {
  if (/^\d{3}$/.test(status)) return Number(status);
  if (/^[1-5]XX$/i.test(status)) return Number(status[0]) * 100;
  return 500;
}

/** Generated v2 answers for one documented status. */
export function responseArbitrary(status: string, response: SpecResponse): fc.Arbitrary<HttpMessage> {
  const media = jsonMedia(response.content);
  const requiredHeaders = Object.entries(response.headers).filter(([, header]) => header.required);
  const headers = fc.record(Object.fromEntries(requiredHeaders.map(([name, header]) => [name, arbitraryFor(header.schema).map(textOf)])));
  const otherMedia = !media ? Object.keys(response.content)[0] : undefined;
  const body = media ? arbitraryFor(media[1]) : fc.constant(otherMedia ? '' : undefined);
  return fc.tuple(headers, body).map(([h, b]) => {
    const allHeaders: Record<string, string> = { ...(h as Record<string, string>) };
    const contentType = media?.[0] ?? otherMedia;
    if (contentType) allHeaders['content-type'] = contentType;
    return emptyMessage({ status: concreteStatus(status), headers: allHeaders, body: b });
  });
}

export interface EndpointSpecs {
  v1: SpecOperation;
  /** The v2 operations the endpoint's main call and supporting calls reach, by call id. */
  v2: Record<string, SpecOperation>;
}

/** The v1 and v2 operations a mapping endpoint names, or what is missing. */
export function endpointSpecs(endpoint: CompiledEndpoint, v1: SpecDocument, v2: SpecDocument): EndpointSpecs | { missing: string[] } {
  const missing: string[] = [];
  const v1Operation = findOperation(v1, endpoint.v1.method, endpoint.v1.template);
  if (!v1Operation) missing.push(`v1 ${endpoint.v1.method} ${endpoint.v1.template}`);
  const calls: Record<string, SpecOperation> = {};
  const routes = [['main', endpoint.v2] as const, ...endpoint.calls.map((call) => [call.id, call.route] as const)];
  for (const [id, route] of routes) {
    if (!route) continue;
    const operation = findOperation(v2, route.method, route.template);
    if (operation) calls[id] = operation;
    else missing.push(`v2 ${route.method} ${route.template}`);
  }
  return missing.length ? { missing } : { v1: v1Operation!, v2: calls };
}

/** Samples of one endpoint; `mainStatuses` limits the main call's v2 status (all documented by default). */
export function sampleArbitrary(endpoint: CompiledEndpoint, specs: EndpointSpecs, mainStatuses?: string[]): fc.Arbitrary<ExchangeSample> {
  const main = specs.v2.main!;
  const statuses = (mainStatuses ?? Object.keys(main.responses)).filter((status) => main.responses[status]);
  const mainResponse = statuses.length ? fc.oneof(...statuses.map((status) => responseArbitrary(status, main.responses[status]!))) : fc.constant(emptyMessage({ status: 200 }));
  const callResponses = endpoint.calls.map((call) => {
    const operation = specs.v2[call.id]!;
    const success = Object.keys(operation.responses).find((status) => /^2/.test(status));
    return success ? responseArbitrary(success, operation.responses[success]!) : fc.constant(emptyMessage({ status: 200 }));
  });
  return fc.tuple(v1RequestArbitrary(specs.v1), mainResponse, fc.tuple(...callResponses)).map(([v1Request, mainAnswer, answers]) => ({
    v1Request,
    v2Responses: { main: mainAnswer, ...Object.fromEntries(endpoint.calls.map((call, i) => [call.id, answers[i]!])) },
  }));
}

/** Runs one sample through the pipeline and holds the result against both documents. */
export async function runSample(table: CompiledTable, endpoint: CompiledEndpoint, specs: EndpointSpecs, v2: SpecDocument, sample: ExchangeSample): Promise<ExchangeOutcome> {
  const trace: TraceEntry[] = [];
  const problems: ExchangeProblem[] = [];
  const sent: ExchangeOutcome['v2Requests'] = [];
  try {
    const result = await exchange(table, endpoint, structuredClone(sample.v1Request), async (request, call) => {
      sent.push({ call: call.call, request: structuredClone(request) });
      return structuredClone(sample.v2Responses[call.call] ?? emptyMessage({ status: 200 }));
    }, trace);
    for (const { call, request } of sent) problems.push(...checkV2Request(v2, request, call));
    problems.push(...checkV1Response(specs.v1, result.response));
    return { v2Requests: sent, v1Response: result.response, trace, problems };
  } catch (error) {
    const failure = { code: (error as { code?: string }).code ?? 'error', message: (error as Error).message };
    for (const { call, request } of sent) problems.push(...checkV2Request(v2, request, call));
    problems.push({ side: sent.length ? 'response' : 'request', at: '', pointer: '', message: `the gateway would fail with ${failure.code}: ${failure.message}` });
    return { v2Requests: sent, failure, trace, problems };
  }
}

/** A v2 request held against the v2 document: route, parameters, content type, body. */
export function checkV2Request(v2: SpecDocument, request: HttpMessage, call = 'main'): ExchangeProblem[] {
  const problems: ExchangeProblem[] = [];
  const add = (at: string, message: string, pointer = '') => problems.push({ side: 'request', at, pointer, message, call });
  const matched = matchOperation(v2, request.method, request.path);
  if (!matched) {
    add('path', `${request.method} ${request.path} is no operation of the v2 document`);
    return problems;
  }
  const { operation, params } = matched;
  for (const parameter of operation.parameters) {
    const [at, value] =
      parameter.in === 'path' ? [`params.${parameter.name}`, params[parameter.name]] : parameter.in === 'query' ? [`query.${parameter.name}`, request.query[parameter.name]] : parameter.in === 'header' ? [`headers.${parameter.name}`, headerText(request.headers[parameter.name])] : [`cookies.${parameter.name}`, undefined];
    if (parameter.in === 'cookie') continue;
    if (value === undefined) {
      if (parameter.required) add(at, `v2 requires ${parameter.in} parameter "${parameter.name}" and the translated request has none`);
      continue;
    }
    for (const problem of validateValue(parameter.schema, value, true)) add(at, `${parameter.in} parameter "${parameter.name}" = ${JSON.stringify(value)}: ${problem.message}`);
  }
  const documented = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const key of Object.keys(request.query)) if (!documented.has(key)) add(`query.${key}`, `query parameter "${key}" is not in the v2 document`);
  const body = operation.requestBody;
  if (request.body === undefined) {
    if (body?.required) add('body', 'v2 requires a request body and the translated request has none');
  } else if (body) {
    const contentType = headerText(request.headers['content-type']);
    const media = jsonMedia(body.content);
    if (contentType && !(contentType.split(';', 1)[0]!.trim().toLowerCase() in body.content)) add('headers.content-type', `content type ${contentType} is not one v2 accepts (${Object.keys(body.content).join(', ')})`);
    if (media) for (const problem of validateValue(media[1], request.body)) add('body', `body at ${problem.message}`, problem.pointer);
  }
  return problems;
}

/** A translated v1 response held against the v1 operation: documented status, content type, headers, body. */
export function checkV1Response(v1: SpecOperation, response: HttpMessage): ExchangeProblem[] {
  const problems: ExchangeProblem[] = [];
  const add = (at: string, message: string, pointer = '') => problems.push({ side: 'response', at, pointer, message });
  const documented = v1.responses[String(response.status)] ?? v1.responses[`${Math.floor(response.status / 100)}XX`] ?? v1.responses.DEFAULT;
  if (!documented) {
    add('status', `status ${response.status} is not documented for v1 ${v1.method} ${v1.path} (documented: ${Object.keys(v1.responses).join(', ')})`);
    return problems;
  }
  for (const [name, header] of Object.entries(documented.headers)) {
    const value = headerText(response.headers[name]);
    if (value === undefined) {
      if (header.required) add(`headers.${name}`, `v1 always sends header ${name}; the translated response has none`);
      continue;
    }
    for (const problem of validateValue(header.schema, value, true)) add(`headers.${name}`, `header ${name} = ${JSON.stringify(value)}: ${problem.message}`);
  }
  const hasBody = response.body !== undefined && response.body !== '';
  const mediaTypes = Object.keys(documented.content);
  if (!mediaTypes.length) {
    if (hasBody) add('body', `v1 answers ${response.status} without a body; the translated response has one`);
    return problems;
  }
  if (!hasBody) {
    add('body', `v1 answers ${response.status} with a body (${mediaTypes.join(', ')}); the translated response has none`);
    return problems;
  }
  const contentType = headerText(response.headers['content-type'])?.split(';', 1)[0]!.trim().toLowerCase();
  if (contentType && !mediaTypes.includes(contentType)) add('headers.content-type', `content type ${contentType} is not what v1 sends for ${response.status} (${mediaTypes.join(', ')})`);
  const media = jsonMedia(documented.content);
  if (media) for (const problem of validateValue(media[1], response.body)) add('body', `body at ${problem.message}`, problem.pointer);
  return problems;
}
