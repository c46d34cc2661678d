import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { CompatError } from '../core/errors.js';
import type { CompiledEndpoint, CompiledTable } from '../core/mapping/compiled.js';
import { toHonoPath } from '../core/mapping/route.js';
import { isSuccessStatus, type HttpMessage } from '../core/model/http-message.js';
import { exchange } from '../core/pipeline/exchange.js';
import { translateRequest } from '../core/pipeline/request.js';
import { translateResponse } from '../core/pipeline/response.js';
import { parseBody, queryString, readLimited, serializeBody, type UpstreamClient } from '../upstream/upstream-client.js';
import { lifecycleHeaders } from './lifecycle-headers.js';
import {
  incomingHeaders,
  messageToResponse,
  readRequestBody,
  requestBodyStream,
  requestIdFor,
  splitUrl,
  streamedResponse,
  upstreamHeaders,
  v1Message,
  type IncomingV1,
} from './message-io.js';
import { silentObserver, type GatewayObserver } from './observer.js';
import { PROBLEM_CONTENT_TYPE, problemBody, problemFromError } from './problem.js';

export interface AppOptions {
  table: CompiledTable;
  upstream: UpstreamClient;
  /** The real v1 API: requests no endpoint maps are passed to it unchanged. */
  legacy?: UpstreamClient;
  observer?: GatewayObserver;
  /** Request header naming the calling client in metrics (default `x-client-id`, then the User-Agent product). */
  clientHeader?: string;
}

type GatewayEnv = { Bindings: Partial<HttpBindings> };

/**
 * The gateway as a Hono app: one route per mapped v1 endpoint, compiled once from the table,
 * then a catch-all for the legacy API or a 404. No `listen` here, so tests can call
 * `app.request()` without a socket.
 */
export function createApp(options: AppOptions): Hono<GatewayEnv> {
  const { table, upstream, legacy } = options;
  const observer = options.observer ?? silentObserver;
  const lifecycle = lifecycleHeaders(table.lifecycle);
  const clientHeader = (options.clientHeader ?? 'x-client-id').toLowerCase();
  const app = new Hono<GatewayEnv>();

  const serve = (endpointId: string, handle: (v1: IncomingV1, raw: Record<string, string | string[] | undefined>, extra: Array<[string, string]>, c: Context<GatewayEnv>) => Promise<Response>) =>
    async (c: Context<GatewayEnv>): Promise<Response> => {
      const started = performance.now();
      const v1: IncomingV1 = { request: c.req.raw, incoming: c.env?.incoming, requestId: '' };
      const raw = incomingHeaders(v1);
      v1.requestId = requestIdFor(raw);
      const extra: Array<[string, string]> = [...lifecycle, ['x-request-id', v1.requestId]];
      let response: Response;
      let problem: string | undefined;
      try {
        response = await handle(v1, raw, extra, c);
      } catch (error) {
        const failure = error instanceof CompatError ? error : new CompatError('internal-error', 'the gateway failed unexpectedly; the request id identifies it in the logs', {}, { cause: error });
        if (failure.code === 'internal-error') console.error(`[${v1.requestId}]`, error);
        problem = failure.code;
        response = problemResponse(failure, extra);
      }
      observer.exchange({ endpoint: endpointId, client: clientOf(raw, clientHeader), status: response.status, seconds: (performance.now() - started) / 1000, problem });
      return response;
    };

  for (const endpoint of table.endpoints) {
    const handler = endpoint.removed ? removedEndpoint(endpoint) : mappedEndpoint(table, endpoint, upstream);
    app.on(endpoint.v1.method, toHonoPath(endpoint.v1), serve(endpoint.id, handler));
  }
  app.all(
    '*',
    serve(legacy ? 'legacy' : 'unmatched', async (v1, raw, extra) => {
      if (!legacy) {
        const { path } = splitUrl(v1.request.url);
        throw new CompatError('route-not-found', `${v1.request.method} ${path} is not an endpoint of this API`);
      }
      return passThrough(legacy, v1, raw, extra);
    }),
  );
  return app;
}

function problemResponse(error: CompatError, extra: ReadonlyArray<[string, string]>): Response {
  const { status, body } = problemFromError(error);
  const headers = new Headers(extra as Array<[string, string]>);
  headers.set('content-type', PROBLEM_CONTENT_TYPE);
  return new Response(JSON.stringify(body), { status, headers });
}

function removedEndpoint(endpoint: CompiledEndpoint) {
  const removed = endpoint.removed!;
  return async (_v1: IncomingV1, _raw: unknown, extra: Array<[string, string]>) => {
    const body = problemBody('endpoint-removed', removed.message, { endpoint: endpoint.id, ...(removed.replacement ? { replacement: removed.replacement } : {}) });
    const headers = new Headers(extra);
    headers.set('content-type', PROBLEM_CONTENT_TYPE);
    return new Response(JSON.stringify({ ...body, status: removed.status }), { status: removed.status, headers });
  };
}

function mappedEndpoint(table: CompiledTable, endpoint: CompiledEndpoint, upstream: UpstreamClient) {
  // Bodies are streamed through untouched unless some step reads them.
  const streamable = !endpoint.readsRequestBody && !endpoint.readsResponseBody && endpoint.calls.length === 0;
  return async (v1: IncomingV1, raw: Record<string, string | string[] | undefined>, extra: Array<[string, string]>, c: Context<GatewayEnv>): Promise<Response> => {
    const headers = upstreamHeaders(v1, raw);
    const params = c.req.param() as Record<string, string>;
    if (streamable) return streamThrough(table, endpoint, upstream, v1, v1Message(v1, headers, params, undefined), raw, extra);
    const body = await readRequestBody(v1, raw, upstream.bodyLimit);
    const { response } = await exchange(table, endpoint, v1Message(v1, headers, params, body), (request) => upstream.send(request));
    return messageToResponse(response, extra);
  };
}

async function streamThrough(
  table: CompiledTable,
  endpoint: CompiledEndpoint,
  upstream: UpstreamClient,
  v1: IncomingV1,
  message: HttpMessage,
  raw: Record<string, string | string[] | undefined>,
  extra: Array<[string, string]>,
): Promise<Response> {
  const v2 = translateRequest(endpoint, message);
  const { headers } = serializeBody(undefined, v2.headers);
  if (raw['content-type']) headers['content-type'] = raw['content-type'];
  if (raw['content-length']) headers['content-length'] = raw['content-length'];
  const answer = await upstream.stream(v2.method, v2.path + queryString(v2.query), headers, requestBodyStream(v1, raw));
  if (isSuccessStatus(answer.status)) {
    // Steps here touch only status and headers (the endpoint reads no body), so the body can flow.
    const translated = translateResponse(table, endpoint, { method: '', path: '', params: {}, query: {}, headers: answer.headers, status: answer.status, body: undefined });
    return streamedResponse(translated.status, translated.headers, answer.body, extra);
  }
  const contentType = answer.headers['content-type'];
  const bodyBytes = await readLimited(answer.body, upstream.bodyLimit, upstream.origin);
  const errorMessage: HttpMessage = {
    method: '',
    path: '',
    params: {},
    query: {},
    headers: { ...answer.headers },
    status: answer.status,
    body: parseBody(bodyBytes, typeof contentType === 'string' ? contentType : undefined, () => bodyBytes as never),
  };
  delete errorMessage.headers['content-length'];
  return messageToResponse(translateResponse(table, endpoint, errorMessage), extra);
}

async function passThrough(legacy: UpstreamClient, v1: IncomingV1, raw: Record<string, string | string[] | undefined>, extra: Array<[string, string]>): Promise<Response> {
  const { path, search } = splitUrl(v1.request.url);
  const headers = upstreamHeaders(v1, raw);
  if (raw['content-length']) headers['content-length'] = raw['content-length'];
  const answer = await legacy.stream(v1.request.method, path + search, headers, requestBodyStream(v1, raw));
  return streamedResponse(answer.status, answer.headers, answer.body, extra);
}

function clientOf(headers: Record<string, string | string[] | undefined>, clientHeader: string): string {
  const named = headers[clientHeader];
  if (typeof named === 'string' && named) return named.slice(0, 64);
  const agent = headers['user-agent'];
  const product = typeof agent === 'string' ? /^[A-Za-z0-9._-]+/.exec(agent)?.[0] : undefined;
  return product ?? 'unknown';
}

