import { randomUUID } from 'node:crypto';
import { validateHeaderName, validateHeaderValue, type IncomingMessage, type ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { CompatError } from '../core/errors.js';
import { emptyMessage, isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import type { RenderPolicy } from '../core/mapping/http-policy.js';
import { Cancellation, type CancelSignal } from '../upstream/cancel-signal.js';
import { requestDecoder } from '../upstream/content-encoding.js';
import { forwardableHeaders } from '../upstream/hop-by-hop.js';
import { DEFAULT_JSON_LIMITS, JsonLimitError, JsonLimitScanner, type JsonLimits } from '../upstream/json-limits.js';
import type { MemoryBudget } from '../upstream/memory-budget.js';
import { finishBody, isCorsHeader, NO_BODY_STATUS, type AnswerRequest } from './v1-answer.js';
import type { OutgoingBody } from '../upstream/upstream-client.js';
import type { TraceEntry } from '../core/pipeline/trace.js';

/*
 * The edges of one exchange: the v1 request as @hono/node-server (or `app.request()` in tests)
 * hands it over, and the v1 answer going back. Served by node, headers stay plain objects end to
 * end, the shape node:http reads and writes: no request builds or reads a WHATWG `Headers` object.
 */

/** Headers as node:http hands them over (a field may be absent). */
export type RawHeaders = Record<string, string | string[] | undefined>;
/** Headers as node:http and undici take them. */
export type PlainHeaders = Record<string, string | string[]>;

/** What the gateway knows about one incoming v1 request before translation. */
export interface IncomingV1 {
  request: Request;
  /** Present when served by @hono/node-server; absent under `app.request()` in tests. */
  incoming?: IncomingMessage;
  /** The socket's response, when served by @hono/node-server: streamed answers are written to it directly. */
  outgoing?: ServerResponse;
  /** The request's headers, lower-case names (node's own object when served by node). */
  headers: RawHeaders;
  requestId: string;
  /** Set when the answer was written to `outgoing` directly: its status, for the observer. */
  writtenStatus?: number;
  /** The endpoint (route variant) serving the request, once known: metrics and v1-shaped errors use it. */
  endpoint?: string;
  policy: RequestPolicy;
  /** Body bytes this request holds against the memory budget; released when it is answered. */
  reservedBytes: number;
  /** Calls made upstream (v2 or legacy) to answer this request, for the access log; shadow copies not counted. */
  upstreamCalls: number;
  /** Set only on shadow copies: the steps that ran are recorded here, for rule coverage. */
  trace?: TraceEntry[];
}

/** How the gateway treats what a client sends: shape limits, memory, which proxies it trusts. */
export interface RequestPolicy {
  jsonLimits: JsonLimits;
  memoryBudget?: MemoryBudget;
  /**
   * Peers whose X-Forwarded-For/Proto/Host are believed and extended. From anyone else these
   * headers are replaced by what the gateway itself sees: a client cannot claim another address.
   */
  trustedProxies?: BlockList;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = { jsonLimits: DEFAULT_JSON_LIMITS };

/**
 * A client's request id is kept only when it is a plain token (UUIDs, ULIDs, trace ids), so it
 * cannot carry markup or control characters into logs and answers; anything else is replaced.
 */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function incomingV1(request: Request, env: { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined, policy: RequestPolicy = DEFAULT_REQUEST_POLICY): IncomingV1 {
  const incoming = env?.incoming;
  const headers = incoming ? nodeHeaders(incoming) : headersOf(request);
  const given = headers['x-request-id'];
  return { request, incoming, outgoing: env?.outgoing, headers, requestId: typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID(), policy, reservedBytes: 0, upstreamCalls: 0 };
}

/**
 * Node's own headers object, which costs nothing more, unless the client sent a field named
 * `__proto__`: node stores headers in a plain object, where that assignment sets the prototype
 * instead and the field vanishes. Then a null-prototype copy keeps it as the field it is.
 */
function nodeHeaders(incoming: IncomingMessage): RawHeaders {
  const raw = incoming.rawHeaders;
  let proto: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 9 && raw[i]!.toLowerCase() === '__proto__') proto = proto === undefined ? raw[i + 1]! : `${proto}, ${raw[i + 1]!}`;
  }
  if (proto === undefined) return incoming.headers;
  const headers = Object.assign(Object.create(null) as Record<string, string | string[] | undefined>, incoming.headers);
  headers.__proto__ = proto;
  return headers;
}

function headersOf(request: Request): RawHeaders {
  // Null prototype: a field named `__proto__` is a field.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** Headers sent upstream: end-to-end ones only, plus X-Forwarded-* and the request id. */
export function upstreamHeaders(v1: IncomingV1): PlainHeaders {
  const headers = forwardableHeaders(v1.headers);
  const socket = v1.incoming?.socket;
  const clientAddress = socket?.remoteAddress;
  if (!fromTrustedProxy(v1)) {
    delete headers['x-forwarded-for'];
    delete headers['x-forwarded-proto'];
    delete headers['x-forwarded-host'];
    delete headers.forwarded;
  }
  if (clientAddress) {
    const prior = headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${clientAddress}` : clientAddress;
  }
  headers['x-forwarded-proto'] ??= socket && 'encrypted' in socket ? 'https' : 'http';
  const host = v1.headers.host;
  if (typeof host === 'string') headers['x-forwarded-host'] ??= host;
  headers['x-request-id'] = v1.requestId;
  return headers;
}

/** Whether the connection comes from a `--trusted-proxies` address, whose X-Forwarded-* the gateway keeps. */
export function fromTrustedProxy(v1: IncomingV1): boolean {
  const socket = v1.incoming?.socket;
  const clientAddress = socket?.remoteAddress;
  return clientAddress !== undefined && v1.policy.trustedProxies !== undefined && v1.policy.trustedProxies.check(clientAddress, socket?.remoteFamily === 'IPv6' ? 'ipv6' : 'ipv4');
}

/**
 * Aborted when the client goes away before its answer is written, so its v2 calls stop too.
 * Served by node, this listens on the socket's response directly: reading `request.signal` would
 * make @hono/node-server build a full WHATWG Request for every request, at a cost that showed in
 * the benchmark. Not an AbortController either: see Cancellation.
 */
export function clientGoneSignal(v1: IncomingV1): CancelSignal {
  const outgoing = v1.outgoing;
  if (!outgoing) return v1.request.signal;
  const gone = new Cancellation();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) gone.cancel(new Error('the client closed the connection'));
  });
  return gone;
}

export function splitUrl(url: string): { path: string; search: string } {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const pathAndQuery = start < 0 ? '/' : url.slice(start);
  const mark = pathAndQuery.indexOf('?');
  return mark < 0 ? { path: pathAndQuery, search: '' } : { path: pathAndQuery.slice(0, mark), search: pathAndQuery.slice(mark) };
}

/** Characters that make a query string need real form decoding. */
const NEEDS_DECODING = /[%+]/;

/**
 * Query parameters into a null-prototype object: `__proto__`, `constructor` or `toString` are
 * parameter names like any other, never the object's prototype or an inherited function.
 */
export function parseQuery(search: string): Record<string, string | string[]> {
  const query = Object.create(null) as Record<string, string | string[]>;
  if (search.length <= 1) return query;
  // Without % or + there is nothing to decode: splitting is what URLSearchParams would do.
  const pairs: Iterable<[string, string]> = NEEDS_DECODING.test(search) ? new URLSearchParams(search) : splitPairs(search);
  for (const [key, value] of pairs) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function splitPairs(search: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of search.slice(search.startsWith('?') ? 1 : 0).split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    pairs.push(equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)]);
  }
  return pairs;
}

export function hasRequestBody(v1: IncomingV1): boolean {
  const method = v1.request.method;
  if (method === 'GET' || method === 'HEAD') return false;
  // Without a socket (app.request() in tests) the Request object is all there is.
  if (!v1.incoming) return v1.request.body !== null;
  const length = v1.headers['content-length'];
  return v1.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The request body as a stream for passthrough, without reading it. */
export function requestBodyStream(v1: IncomingV1): OutgoingBody {
  if (!hasRequestBody(v1)) return null;
  if (v1.incoming) return v1.incoming;
  return v1.request.body ? Readable.fromWeb(v1.request.body as unknown as NodeWebReadableStream) : null;
}

/**
 * Reads the request body within the size limit (413), the shared memory budget (503) and the
 * JSON shape limits (400), each checked as chunks arrive, and parses JSON bodies (400 if
 * invalid). A compressed JSON body is decoded (RFC 9110 section 8.4), the limits then applying
 * to the decoded bytes; a coding the gateway cannot decode is a 415.
 */
export async function readRequestBody(v1: IncomingV1, limit: number): Promise<unknown> {
  if (!hasRequestBody(v1)) return undefined;
  const declared = Number(v1.headers['content-length']);
  const tooLarge = () => new CompatError('request-body-too-large', `the request body is larger than ${limit} bytes`, { limit });
  if (declared > limit) throw tooLarge();
  const contentType = v1.headers['content-type'];
  const isJson = isJsonMediaType(typeof contentType === 'string' ? contentType : undefined);
  const budget = v1.policy.memoryBudget;
  const scanner = isJson ? new JsonLimitScanner(v1.policy.jsonLimits) : undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const received: AsyncIterable<Uint8Array> = v1.incoming ?? (v1.request.body as unknown as AsyncIterable<Uint8Array>);
  const encoding = v1.headers['content-encoding'];
  const stream = clientAware(isJson && encoding !== undefined ? requestDecoder(received, encoding) : received);
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    if (budget) {
      if (!budget.tryReserve(chunk.length)) throw new CompatError('gateway-overloaded', 'the gateway holds as many request bodies in memory as it allows; retry shortly');
      v1.reservedBytes += chunk.length;
    }
    chunks.push(chunk);
    try {
      scanner?.push(chunk);
    } catch (error) {
      if (error instanceof JsonLimitError) throw new CompatError('request-body-too-complex', `the request body's ${error.message}`, { limit: error.limit, value: error.value });
      throw error;
    }
  }
  const raw = Buffer.concat(chunks, size);
  if (raw.length === 0) return undefined;
  if (!isJson) return raw;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new CompatError('request-not-json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The request body as bytes, untouched, within the size limit and the memory budget. */
export async function readRawRequestBody(v1: IncomingV1, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const budget = v1.policy.memoryBudget;
  const received: AsyncIterable<Uint8Array> = v1.incoming ?? (v1.request.body as unknown as AsyncIterable<Uint8Array>);
  for await (const chunk of clientAware(received)) {
    size += chunk.length;
    if (size > limit) throw new CompatError('request-body-too-large', `the request body is larger than ${limit} bytes`, { limit });
    if (budget) {
      if (!budget.tryReserve(chunk.length)) throw new CompatError('gateway-overloaded', 'the gateway holds as many request bodies in memory as it allows; retry shortly');
      v1.reservedBytes += chunk.length;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** A body stream whose failures (the client aborted or reset mid-body) are the client's, not the gateway's. */
async function* clientAware(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    if (error instanceof CompatError) throw error;
    throw new CompatError('client-closed-request', 'the client closed the connection before its request body was complete', {}, { cause: error });
  }
}

/** Gives back what the request held against the memory budget. */
export function releaseRequestMemory(v1: IncomingV1): void {
  if (v1.reservedBytes > 0) v1.policy.memoryBudget?.release(v1.reservedBytes);
  v1.reservedBytes = 0;
}

export function v1Message(v1: IncomingV1, headers: PlainHeaders, params: Record<string, string>, body: unknown): HttpMessage {
  const { path, search } = splitUrl(v1.request.url);
  return emptyMessage({ method: v1.request.method, path, params: { ...params }, query: parseQuery(search), headers, body });
}


/**
 * Response headers: the message's end-to-end headers, then the gateway's own (`extra` wins).
 * Repeated fields are joined with ", " except Set-Cookie, which stays a list (RFC 9110 5.3).
 * Names and values are checked here unless `checked` says they are exactly as undici parsed
 * them, so a mapping that wrote a bad header fails this exchange (as a 500 problem) rather than
 * the socket write.
 */
function responseHeaders(source: RawHeaders, extra: Readonly<Record<string, string>>, options: { skip?: string; checked?: boolean; dropCors?: boolean } = {}): PlainHeaders {
  const headers = forwardableHeaders(source);
  if (options.skip) delete headers[options.skip];
  if (options.dropCors) for (const name in headers) if (isCorsHeader(name)) delete headers[name];
  const check = !options.checked;
  for (const name in headers) {
    const value = headers[name]!;
    if (check) validateHeaderName(name);
    if (Array.isArray(value)) {
      if (check) for (const item of value) validateHeaderValue(name, item);
      if (name !== 'set-cookie') headers[name] = value.join(', ');
    } else if (typeof value !== 'string' || check) {
      const text = String(value);
      if (check) validateHeaderValue(name, text);
      headers[name] = text;
    }
  }
  for (const name in extra) {
    // The lifecycle `Link: <guide>; rel="deprecation"` joins a Link the answer already has (paging
    // links, say) rather than replacing it: a field's values combine with ", " (RFC 8288 section 3).
    const existing = headers[name];
    if (name === 'link' && typeof existing === 'string' && existing !== '') headers[name] = `${existing}, ${extra[name]!}`;
    else if (name === 'vary' && typeof existing === 'string' && existing !== '') {
      if (!existing.split(',').some((field) => field.trim().toLowerCase() === extra[name]!.toLowerCase())) headers[name] = `${existing}, ${extra[name]!}`;
    } else headers[name] = extra[name]!;
  }
  return headers;
}

/**
 * A Response with plain-object headers (what @hono/node-server writes without conversion). A
 * list-valued Set-Cookie needs a real Headers object to survive the Response constructor.
 */
function responseWith(body: string | Uint8Array | ReadableStream | null, status: number, headers: PlainHeaders): Response {
  const cookies = headers['set-cookie'];
  if (!Array.isArray(cookies)) return new Response(body, { status, headers: headers as Record<string, string> });
  const list = new Headers();
  for (const name in headers) {
    const value = headers[name]!;
    if (Array.isArray(value)) for (const item of value) list.append(name, item);
    else list.set(name, value);
  }
  return new Response(body, { status, headers: list });
}

export interface AnswerOptions {
  /** JSON formatting, Content-Type and ETag of the v1 answer. */
  render?: RenderPolicy;
  /** The v1 request, for If-None-Match. */
  request?: AnswerRequest;
  /** v1's CORS policy replaces whatever v2 said. */
  dropCors?: boolean;
}

/**
 * A translated message as a Response; JSON bodies are serialised, empty ones send no content
 * type. A header that a step built from a v2 value and that HTTP cannot carry (a newline, a
 * control character) is v2's answer failing translation: 502, not a gateway crash.
 */
export function messageToResponse(message: HttpMessage, extraHeaders: Readonly<Record<string, string>>, options: AnswerOptions = {}): Response {
  const finished = finishBody(message, options.render ?? COMPACT, options.request);
  let headers: PlainHeaders;
  try {
    headers = responseHeaders(finished.headers, extraHeaders, { skip: 'content-encoding', dropCors: options.dropCors });
  } catch (error) {
    throw new CompatError('response-not-translatable', `the translated answer has a header HTTP cannot carry: ${(error as Error).message}`, {}, { cause: error });
  }
  return responseWith(finished.body, finished.status, headers);
}

const COMPACT: RenderPolicy = { indent: 0 };

/** An upstream answer read whole, passed on as it came (hop-by-hop fields dropped, the gateway's added). */
export function bufferedResponse(status: number, upstreamHeaders: RawHeaders, body: Uint8Array, extraHeaders: Readonly<Record<string, string>>): Response {
  const headers = responseHeaders(upstreamHeaders, extraHeaders, { checked: true });
  return responseWith(NO_BODY_STATUS.has(status) || body.length === 0 ? null : body, status, headers);
}

/**
 * An answer already written to the socket. @hono/node-server sends nothing for a response
 * without a body carrying its `x-hono-already-sent` header (what its RESPONSE_ALREADY_SENT is).
 * Not RESPONSE_ALREADY_SENT itself: that is built when its module loads, with whichever
 * Response class is global then, and once a server has started the global one is
 * @hono/node-server's own, which it would write out again. This has no class to depend on.
 */
export const ALREADY_WRITTEN = { status: 200, body: null, headers: new Headers({ 'x-hono-already-sent': 'true' }) } as unknown as Response;

/**
 * An upstream answer whose body flows through untouched. Served by node, the body is piped
 * straight into the socket (no web stream in between); under `app.request()` it becomes a web
 * stream. Either way a client that goes away stops the upstream read, and an upstream that fails
 * mid-body cuts the client's response short rather than ending it as if complete.
 */
export function streamedResponse(
  v1: IncomingV1,
  status: number,
  upstreamHeaders: RawHeaders,
  body: Readable,
  extraHeaders: Readonly<Record<string, string>>,
  options: { headersAsReceived?: boolean; dropCors?: boolean } = {},
): Response {
  // Headers exactly as undici parsed them are valid already; steps may have written others.
  const headers = responseHeaders(upstreamHeaders, extraHeaders, { checked: options.headersAsReceived, dropCors: options.dropCors });
  // A streamed body keeps its declared length; only hop-specific framing is dropped.
  const length = upstreamHeaders['content-length'];
  if (typeof length === 'string') headers['content-length'] = length;
  if (NO_BODY_STATUS.has(status)) {
    // Nothing to send; reading the (empty) rest keeps the upstream connection reusable.
    body.resume();
    return responseWith(null, status, headers);
  }
  if (v1.request.method === 'HEAD') {
    // hono answers HEAD by dropping the GET answer's body: read none of it.
    body.destroy();
    return responseWith(null, status, headers);
  }
  const outgoing = v1.outgoing;
  if (outgoing && !outgoing.headersSent) {
    outgoing.writeHead(status, headers);
    pipeToClient(body, outgoing);
    v1.writtenStatus = status;
    return ALREADY_WRITTEN;
  }
  return responseWith(webStreamOf(body), status, headers);
}

/** `pipe` with both ends tied: node's `pipeline` would do it too, at several times the CPU per call. */
function pipeToClient(body: Readable, outgoing: ServerResponse): void {
  body.once('error', (error) => outgoing.destroy(error));
  outgoing.once('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(outgoing);
}

/**
 * A pull-based web stream over a node stream. Not `Readable.toWeb`: when the reader cancels
 * while chunks are still flowing (a client gone mid-body), its adapter enqueues a late chunk on
 * the closed controller and the throw takes the whole process down
 * (https://github.com/nodejs/node/issues/64529, seen here under load).
 */
function webStreamOf(body: Readable): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value as Uint8Array);
    },
    async cancel() {
      await chunks.return?.();
      body.destroy();
    },
  });
}
