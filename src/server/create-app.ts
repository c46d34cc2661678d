import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { CompatError } from '../core/errors.js';
import type { CompiledEndpoint, CompiledTable } from '../core/mapping/compiled.js';
import { matchRoute, splitPath, toHonoPath } from '../core/mapping/route.js';
import { isSuccessStatus, type HttpMessage } from '../core/model/http-message.js';
import { exchange } from '../core/pipeline/exchange.js';
import { gatewayErrorMessage } from '../core/pipeline/gateway-error.js';
import { variantHolds } from '../core/pipeline/match.js';
import { newContext, snapshotRequest, type RequestView } from '../core/model/exchange-context.js';
import { requestUrl } from './request-url.js';
import { advertisedMethods, corsHeaders, isCorsHeader, preflightAnswer } from './v1-answer.js';
import type { CorsPolicy } from '../core/mapping/http-policy.js';
import { translateRequest } from '../core/pipeline/request.js';
import { translateResponse } from '../core/pipeline/response.js';
import { decodeBody } from '../upstream/content-encoding.js';
import { parseBody, queryString, readLimited, serializeBody, type UpstreamClient } from '../upstream/upstream-client.js';
import type { CancelSignal } from '../upstream/cancel-signal.js';
import { toUpstreamProblem } from '../upstream/upstream-errors.js';
import { lifecycleHeaders } from './lifecycle-headers.js';
import { createRequestGuard } from './limits.js';
import { withRollout, type RolloutTable } from './rollout.js';
import type { ShadowComparer } from './shadow.js';
import {
  ALREADY_WRITTEN,
  clientGoneSignal,
  incomingV1,
  messageToResponse,
  type AnswerOptions,
  type PlainHeaders,
  readRequestBody,
  requestBodyStream,
  splitUrl,
  streamedResponse,
  upstreamHeaders,
  v1Message,
  type IncomingV1,
  type RawHeaders,
  type RequestPolicy,
} from './message-io.js';
import { silentObserver, type GatewayObserver } from './observer.js';
import { PROBLEM_CONTENT_TYPE, problemBody, problemFromError, problemHeaders } from './problem.js';

export interface AppOptions {
  table: CompiledTable;
  upstream: UpstreamClient;
  /** The real v1 API: requests no endpoint maps are passed to it unchanged. */
  legacy?: UpstreamClient;
  observer?: GatewayObserver;
  /** Request header naming the calling client in metrics (default `x-client-id`, then the User-Agent product). */
  clientHeader?: string;
  /** Shape limits, memory budget and trusted proxies applied to every request. */
  policy?: RequestPolicy;
  /** Per-endpoint rollout modes (absent: every endpoint is translated). */
  rollout?: RolloutTable;
  shadow?: ShadowComparer;
}

type GatewayEnv = { Bindings: Partial<HttpBindings> };

/** Headers the gateway adds to every v1 answer: the lifecycle ones and the request id. */
type GatewayHeaders = Record<string, string>;
type Handler = (v1: IncomingV1, extra: GatewayHeaders, c: Context<GatewayEnv>) => Promise<Response>;

/**
 * The gateway as a Hono app: one route per mapped v1 endpoint, compiled once from the table,
 * and a not-found handler that passes everything else to the legacy API, or answers 404. No
 * `listen` here, so tests can call `app.request()` without a socket.
 */
export function createApp(options: AppOptions): Hono<GatewayEnv> {
  const { table, upstream, legacy } = options;
  const observer = options.observer ?? silentObserver;
  const lifecycle: GatewayHeaders = Object.fromEntries(lifecycleHeaders(table.lifecycle));
  const clientHeader = (options.clientHeader ?? 'x-client-id').toLowerCase();
  const app = new Hono<GatewayEnv>();
  const guard = createRequestGuard(table);

  const serve = (endpointId: string, handle: Handler) =>
    async (c: Context<GatewayEnv>): Promise<Response> => {
      const started = performance.now();
      const v1 = incomingV1(c.req.raw, c.env, options.policy);
      v1.endpoint = endpointId;
      const extra: GatewayHeaders = table.cors ? { ...lifecycle, ...corsHeaders(table.cors, v1.headers.origin), 'x-request-id': v1.requestId } : { ...lifecycle, 'x-request-id': v1.requestId };
      let response: Response;
      let problem: string | undefined;
      let failure: CompatError | undefined;
      try {
        response = await handle(v1, extra, c);
      } catch (error) {
        failure = error instanceof CompatError ? error : new CompatError('internal-error', 'the gateway failed unexpectedly; the request id identifies it in the logs', {}, { cause: error });
        if (failure.code === 'internal-error') console.error(`[${v1.requestId}]`, error);
        problem = failure.code;
        response = problemResponse(table, v1, failure, { ...extra, ...problemHeaders(failure) });
      } finally {
        guard.finish(v1);
      }
      const status = response === ALREADY_WRITTEN ? v1.writtenStatus! : response.status;
      const { path, search } = splitUrl(v1.request.url);
      observer.exchange({ endpoint: v1.endpoint, client: clientOf(v1.headers, clientHeader), status, seconds: (performance.now() - started) / 1000, problem, failure, requestId: v1.requestId, method: v1.request.method, path, search, upstreamCalls: v1.upstreamCalls });
      return response;
    };

  const unmatched = async (v1: IncomingV1, extra: GatewayHeaders): Promise<Response> => {
    if (!legacy) {
      const { path } = splitUrl(v1.request.url);
      const allowed = methodsServing(table, path);
      if (allowed.length > 0 && !allowed.includes(v1.request.method)) {
        // RFC 9110 section 15.5.6: the path exists, the method does not; say which ones do.
        throw new CompatError('method-not-allowed', `method ${v1.request.method} is not allowed on ${path}`, { allow: allowed }, { headers: { allow: allowed.join(', ') } });
      }
      throw new CompatError('route-not-found', `${v1.request.method} ${path} is not an endpoint of this API`);
    }
    v1.endpoint = 'legacy';
    return passThrough(legacy, v1, extra);
  };

  // One hono route per distinct v1 route; route variants (`when:`) share it and are told apart
  // per request, in table order.
  const routes = new Map<string, CompiledEndpoint[]>();
  for (const endpoint of table.endpoints) {
    const key = `${endpoint.v1.method} ${toHonoPath(endpoint.v1)}`;
    routes.set(key, [...(routes.get(key) ?? []), endpoint]);
  }
  for (const variants of routes.values()) {
    const first = variants[0]!;
    const handlers = variants.map((endpoint) => {
      const translated = endpoint.removed ? removedEndpoint(endpoint) : guard.admitting(endpoint, mappedEndpoint(table, endpoint, upstream));
      return withRollout(endpoint, options.rollout?.get(endpoint.id), { translate: translated, legacy, shadow: options.shadow, passThrough: legacy && ((v1, extra) => passThrough(legacy, v1, extra)) });
    });
    const handle: Handler =
      variants.length === 1 && !first.when
        ? handlers[0]!
        : async (v1, extra, c) => {
            const params = first.v1.params.length > 0 ? (c.req.param() as Record<string, string>) : {};
            const request = v1Message(v1, v1.headers as PlainHeaders, params, undefined);
            const index = variants.findIndex((endpoint) => variantHolds(endpoint, request));
            if (index < 0) return unmatched(v1, extra);
            v1.endpoint = variants[index]!.id;
            return handlers[index]!(v1, extra, c);
          };
    app.on(first.v1.method, toHonoPath(first.v1), serve(first.id, handle));
  }
  if (table.cors) registerPreflights(app, table, table.cors, serve);
  // The not-found handler rather than a catch-all route: a mapped route then matches alone and
  // hono calls its handler directly, without composing a middleware chain per request.
  app.notFound(serve(legacy ? 'legacy' : 'unmatched', unmatched));
  return app;
}

/**
 * `OPTIONS` on every mapped v1 path is answered by the gateway under v1's CORS policy, with the
 * methods the table maps there (conditional variants, such as method overrides, are not
 * advertised). A path whose OPTIONS the mapping maps itself is left to that endpoint.
 */
function registerPreflights(app: Hono<GatewayEnv>, table: CompiledTable, policy: CorsPolicy, serve: (id: string, handle: Handler) => (c: Context<GatewayEnv>) => Promise<Response>): void {
  const paths = new Set(table.endpoints.map((endpoint) => toHonoPath(endpoint.v1)));
  for (const endpoint of table.endpoints) if (endpoint.v1.method === 'OPTIONS') paths.delete(toHonoPath(endpoint.v1));
  for (const path of paths) {
    app.options(
      path,
      serve('preflight', async (v1, extra) => {
        const { status, headers } = preflightAnswer(policy, methodsServing(table, splitUrl(v1.request.url).path), v1.headers);
        const gateway: GatewayHeaders = { ...extra };
        for (const name in gateway) if (name === 'vary' || isCorsHeader(name)) delete gateway[name];
        return new Response(null, { status, headers: { ...headers, ...gateway } });
      }),
    );
  }
}

/** The methods the table maps on a path (HEAD with GET), in the canonical order; conditional variants are not advertised. */
function methodsServing(table: CompiledTable, path: string): string[] {
  const segments = splitPath(path);
  if (!segments) return [];
  const methods = table.endpoints.filter((endpoint) => !endpoint.when && matchRoute(endpoint.v1, endpoint.v1.method, segments)).map((endpoint) => endpoint.v1.method);
  return advertisedMethods(methods);
}

/** How a mapped endpoint's v1 answer is written: its render policy, the request, v1's CORS. */
function answerOptions(table: CompiledTable, endpoint: CompiledEndpoint | undefined, v1: IncomingV1): AnswerOptions {
  return { render: endpoint?.render ?? table.render, request: { method: v1.request.method, headers: v1.headers }, dropCors: table.cors !== undefined };
}

/** A gateway failure as the client sees it: problem+json, or v1's error shape (`gatewayErrors: v1`). */
function problemResponse(table: CompiledTable, v1: IncomingV1, error: CompatError, extra: GatewayHeaders): Response {
  const endpoint = table.endpoints.find((candidate) => candidate.id === v1.endpoint);
  const request = table.gatewayErrors === 'v1' ? requestView(table, v1) : undefined;
  const message = gatewayErrorMessage(table, endpoint, error, request);
  try {
    return messageToResponse(message, extra, { ...answerOptions(table, endpoint, v1), request: undefined });
  } catch {
    // An error rule wrote a header no HTTP message may carry: answer with the problem itself.
    const { status, body } = problemFromError(error);
    return new Response(JSON.stringify(body), { status, headers: { ...extra, 'content-type': PROBLEM_CONTENT_TYPE } });
  }
}

/** The v1 request as error rules read it; the body is not read for an error. */
function requestView(table: CompiledTable, v1: IncomingV1): RequestView {
  return snapshotRequest(v1Message(v1, v1.headers as PlainHeaders, {}, undefined), requestUrl(table, v1), false);
}

function removedEndpoint(endpoint: CompiledEndpoint): Handler {
  const removed = endpoint.removed!;
  return async (_v1, extra) => {
    const body = problemBody('endpoint-removed', removed.message, { endpoint: endpoint.id, ...(removed.replacement ? { replacement: removed.replacement } : {}) });
    return new Response(JSON.stringify({ ...body, status: removed.status }), { status: removed.status, headers: { ...extra, 'content-type': PROBLEM_CONTENT_TYPE } });
  };
}

function mappedEndpoint(table: CompiledTable, endpoint: CompiledEndpoint, upstream: UpstreamClient): Handler {
  // Bodies are streamed through untouched unless some step reads them.
  const streamable = !endpoint.readsRequestBody && !endpoint.readsResponseBody && endpoint.calls.length === 0;
  const hasParams = endpoint.v1.params.length > 0;
  return async (v1, extra, c) => {
    // The client's signal: a client that goes away cancels its v2 calls.
    let signal: CancelSignal | undefined;
    const send = (request: HttpMessage, call: { call: string }) => {
      v1.upstreamCalls++;
      return upstream.send(request, { signal: (signal ??= clientGoneSignal(v1)), jsonRequired: call.call !== 'main' || endpoint.readsResponseBody });
    };
    const headers = upstreamHeaders(v1);
    const params = hasParams ? (c.req.param() as Record<string, string>) : {};
    if (streamable) return streamThrough(table, endpoint, upstream, v1, v1Message(v1, headers, params, undefined), extra);
    const body = await readRequestBody(v1, upstream.bodyLimit);
    const { response } = await exchange(table, endpoint, v1Message(v1, headers, params, body), send, v1.trace, { url: requestUrl(table, v1) });
    return messageToResponse(response, extra, answerOptions(table, endpoint, v1));
  };
}

async function streamThrough(table: CompiledTable, endpoint: CompiledEndpoint, upstream: UpstreamClient, v1: IncomingV1, message: HttpMessage, extra: GatewayHeaders): Promise<Response> {
  // The context (a frozen copy of the request as received) is built for steps that may read it.
  // Without steps, a plain passthrough, only error rules could, so it waits for an error answer.
  // The URL is read now: once v2 has answered, the client's socket may be gone.
  const url = requestUrl(table, v1);
  const contextOf = (received: HttpMessage) => newContext(endpoint.id, snapshotRequest(received, url, false));
  const hasSteps = endpoint.request.length > 0 || endpoint.response.length > 0;
  let context = hasSteps ? contextOf(message) : undefined;
  const v2 = translateRequest(endpoint, message, v1.trace, context);
  if (context) context.v2Request = v2;
  const { headers } = serializeBody(undefined, v2.headers);
  const contentType = v1.headers['content-type'];
  const contentLength = v1.headers['content-length'];
  if (contentType) headers['content-type'] = contentType;
  if (contentLength) headers['content-length'] = contentLength;
  v1.upstreamCalls++;
  const answer = await upstream.stream(v2.method, v2.path + queryString(v2.query), headers, requestBodyStream(v1), clientGoneSignal(v1));
  if (isSuccessStatus(answer.status)) {
    // Steps here touch only status and headers (the endpoint reads no body), so the body can flow.
    const translated = translateResponse(table, endpoint, { method: '', path: '', params: {}, query: {}, headers: answer.headers, status: answer.status, body: undefined }, v1.trace, context);
    return streamedResponse(v1, translated.status, translated.headers, answer.body, extra, { headersAsReceived: endpoint.response.length === 0, dropCors: table.cors !== undefined });
  }
  if (!context) {
    // No step ran, so the request's headers and parameters are as received; its URL is read again.
    context = contextOf(v1Message(v1, message.headers, message.params, undefined));
    context.v2Request = v2;
  }
  const answerType = answer.headers['content-type'];
  const received = await readLimited(answer.body, upstream.bodyLimit, upstream.origin).catch((error: unknown) => {
    throw toUpstreamProblem(error, upstream.origin);
  });
  const bodyBytes = decodeBody(received, answer.headers['content-encoding'], upstream.origin);
  const errorMessage: HttpMessage = {
    method: '',
    path: '',
    params: {},
    query: {},
    headers: { ...answer.headers },
    status: answer.status,
    body: parseBody(bodyBytes, typeof answerType === 'string' ? answerType : undefined, () => bodyBytes as never),
  };
  delete errorMessage.headers['content-length'];
  delete errorMessage.headers['content-encoding'];
  return messageToResponse(translateResponse(table, endpoint, errorMessage, v1.trace, context), extra, answerOptions(table, endpoint, v1));
}

async function passThrough(legacy: UpstreamClient, v1: IncomingV1, extra: GatewayHeaders): Promise<Response> {
  const { path, search } = splitUrl(v1.request.url);
  const headers = upstreamHeaders(v1);
  const contentLength = v1.headers['content-length'];
  if (contentLength) headers['content-length'] = contentLength;
  v1.upstreamCalls++;
  const answer = await legacy.stream(v1.request.method, path + search, headers, requestBodyStream(v1), clientGoneSignal(v1));
  return streamedResponse(v1, answer.status, answer.headers, answer.body, extra, { headersAsReceived: true });
}

function clientOf(headers: RawHeaders, clientHeader: string): string {
  const named = headers[clientHeader];
  if (typeof named === 'string' && named) return named.slice(0, 64);
  const agent = headers['user-agent'];
  const product = typeof agent === 'string' ? /^[A-Za-z0-9._-]+/.exec(agent)?.[0] : undefined;
  return product ?? 'unknown';
}
