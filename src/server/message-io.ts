import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { CompatError } from '../core/errors.js';
import { emptyMessage, isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import { forwardableHeaders } from '../upstream/hop-by-hop.js';
import type { OutgoingBody } from '../upstream/upstream-client.js';

/** What the gateway knows about one incoming v1 request before translation. */
export interface IncomingV1 {
  request: Request;
  /** Present when served by @hono/node-server; absent under `app.request()` in tests. */
  incoming?: IncomingMessage;
  requestId: string;
}

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export function requestIdFor(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function incomingHeaders(v1: Pick<IncomingV1, 'request' | 'incoming'>): Record<string, string | string[] | undefined> {
  if (v1.incoming) return v1.incoming.headers;
  const headers: Record<string, string> = {};
  v1.request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** Headers sent upstream: end-to-end ones only, plus X-Forwarded-* and the request id. */
export function upstreamHeaders(v1: IncomingV1, raw: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const headers = forwardableHeaders(raw);
  const clientAddress = v1.incoming?.socket.remoteAddress;
  if (clientAddress) {
    const prior = headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${clientAddress}` : clientAddress;
  }
  headers['x-forwarded-proto'] ??= v1.incoming && 'encrypted' in v1.incoming.socket ? 'https' : 'http';
  if (typeof raw.host === 'string') headers['x-forwarded-host'] ??= raw.host;
  headers['x-request-id'] = v1.requestId;
  return headers;
}

export function splitUrl(url: string): { path: string; search: string } {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const pathAndQuery = start < 0 ? '/' : url.slice(start);
  const mark = pathAndQuery.indexOf('?');
  return mark < 0 ? { path: pathAndQuery, search: '' } : { path: pathAndQuery.slice(0, mark), search: pathAndQuery.slice(mark) };
}

export function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (search.length <= 1) return query;
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

export function hasRequestBody(v1: Pick<IncomingV1, 'request' | 'incoming'>, headers: Record<string, string | string[] | undefined>): boolean {
  if (v1.request.method === 'GET' || v1.request.method === 'HEAD') return false;
  // Without a socket (app.request() in tests) the Request object is all there is.
  if (!v1.incoming) return v1.request.body !== null;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/** The request body as a stream for passthrough, without reading it. */
export function requestBodyStream(v1: IncomingV1, headers: Record<string, string | string[] | undefined>): OutgoingBody {
  if (!hasRequestBody(v1, headers)) return null;
  if (v1.incoming) return v1.incoming;
  return v1.request.body ? Readable.fromWeb(v1.request.body as unknown as NodeWebReadableStream) : null;
}

/** Reads the request body within a limit (413 past it) and parses JSON bodies (400 if invalid). */
export async function readRequestBody(v1: IncomingV1, headers: Record<string, string | string[] | undefined>, limit: number): Promise<unknown> {
  if (!hasRequestBody(v1, headers)) return undefined;
  const declared = Number(headers['content-length']);
  const tooLarge = () => new CompatError('request-body-too-large', `the request body is larger than ${limit} bytes`, { limit });
  if (declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stream: AsyncIterable<Uint8Array> = v1.incoming ?? (v1.request.body as unknown as AsyncIterable<Uint8Array>);
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  if (raw.length === 0) return undefined;
  const contentType = headers['content-type'];
  if (!isJsonMediaType(typeof contentType === 'string' ? contentType : undefined)) return raw;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new CompatError('request-not-json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function v1Message(v1: IncomingV1, headers: Record<string, string | string[]>, params: Record<string, string>, body: unknown): HttpMessage {
  const { path, search } = splitUrl(v1.request.url);
  return emptyMessage({ method: v1.request.method, path, params: { ...params }, query: parseQuery(search), headers, body });
}

const NO_BODY_STATUS = new Set([204, 205, 304]);

/** A translated message as a Response; JSON bodies are serialised, empty ones send no content type. */
export function messageToResponse(message: HttpMessage, extraHeaders: ReadonlyArray<[string, string]>): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(forwardableHeaders(message.headers))) {
    if (name === 'content-encoding') continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, String(value));
  }
  for (const [name, value] of extraHeaders) headers.set(name, value);
  let body: ConstructorParameters<typeof Response>[0] = null;
  if (message.body === undefined || NO_BODY_STATUS.has(message.status)) {
    headers.delete('content-type');
  } else if (message.body instanceof Uint8Array) body = message.body;
  else if (typeof message.body === 'string') body = message.body;
  else {
    body = JSON.stringify(message.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return new Response(body, { status: message.status, headers });
}

export function streamedResponse(
  status: number,
  responseHeaders: Record<string, string | string[]>,
  body: Readable,
  extraHeaders: ReadonlyArray<[string, string]>,
): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(forwardableHeaders(responseHeaders))) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, String(value));
  }
  // A streamed body keeps its declared length; only hop-specific framing is dropped.
  const length = responseHeaders['content-length'];
  if (typeof length === 'string') headers.set('content-length', length);
  for (const [name, value] of extraHeaders) headers.set(name, value);
  if (NO_BODY_STATUS.has(status)) {
    body.resume();
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(body) as unknown as ReadableStream, { status, headers });
}
