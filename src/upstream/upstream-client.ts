import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { CompatError } from '../core/errors.js';
import { isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import type { CancelSignal } from './cancel-signal.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { Deadlines } from './deadlines.js';
import { DEFAULT_JSON_LIMITS, JsonLimitError, JsonLimitScanner, type JsonLimits } from './json-limits.js';
import type { MemoryBudget } from './memory-budget.js';
import { isRetryableConnectionFailure, toUpstreamProblem, upstreamFailure } from './upstream-errors.js';

export interface UpstreamOptions {
  /** Milliseconds to establish a connection. */
  connectTimeout: number;
  /** Milliseconds to receive response headers. */
  headersTimeout: number;
  /** Milliseconds of silence allowed while receiving a body. */
  bodyTimeout: number;
  /** Largest body, in bytes, the gateway reads into memory to translate. */
  bodyLimit: number;
  /** Extra tries for idempotent requests that never reached the server. */
  retries: number;
  connections: number;
  /** Milliseconds for a whole answer the gateway reads to translate, headers and body (504 past it). */
  deadline: number;
  /** Exchanges in flight with this upstream at once; more wait in a queue. */
  maxConcurrent: number;
  /** Exchanges allowed to wait for a turn; beyond it a request gets 503 at once. */
  maxQueued: number;
  /** Shape limits on JSON answers the gateway parses (502 past them). */
  jsonLimits: JsonLimits;
  /** Shared budget for body bytes held in memory (503 past it); none: only `bodyLimit` applies. */
  memoryBudget?: MemoryBudget;
  /** Opt-in: stop calling an upstream that keeps failing, for a cool-down (503 meanwhile). */
  circuitBreaker?: CircuitBreakerOptions;
  /** For tests: route requests through another dispatcher (e.g. an undici MockAgent). */
  dispatcher?: Dispatcher;
}

export const DEFAULT_UPSTREAM_OPTIONS: UpstreamOptions = {
  connectTimeout: 5_000,
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
  bodyLimit: 10 * 1024 * 1024,
  retries: 1,
  connections: 128,
  deadline: 30_000,
  maxConcurrent: 128,
  maxQueued: 1_024,
  jsonLimits: DEFAULT_JSON_LIMITS,
};

/** Per exchange: the client's signal (it went away: stop), and whether a 2xx must be JSON. */
export interface SendOptions {
  signal?: CancelSignal;
  /** The answer's body is translated: a 2xx that is not JSON cannot be, and is a 502. */
  jsonRequired?: boolean;
}

// RFC 9110 section 9.2.2: repeating these has the same effect as sending them once.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export interface BufferedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export interface StreamedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
}

/** Body types undici accepts for a request. */
export type OutgoingBody = string | Uint8Array | Readable | null;

/**
 * One kept-alive undici Pool per upstream origin. The origin comes from configuration only; a
 * request supplies a path and query, never a host, so the gateway can never be an open proxy.
 */
export class UpstreamClient {
  readonly origin: string;
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly options: UpstreamOptions;
  private readonly gate: ConcurrencyGate;
  private readonly breaker?: CircuitBreaker;
  private readonly deadlines: Deadlines;

  constructor(baseUrl: string, options: Partial<UpstreamOptions> = {}) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.options = { ...DEFAULT_UPSTREAM_OPTIONS, ...options };
    this.gate = new ConcurrencyGate(this.options.maxConcurrent, this.options.maxQueued);
    if (this.options.circuitBreaker) this.breaker = new CircuitBreaker(this.options.circuitBreaker);
    this.deadlines = new Deadlines(this.options.deadline);
    this.dispatcher =
      options.dispatcher ??
      new Pool(this.origin, {
        connections: this.options.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: this.options.connectTimeout },
        headersTimeout: this.options.headersTimeout,
        bodyTimeout: this.options.bodyTimeout,
      });
  }

  get bodyLimit(): number {
    return this.options.bodyLimit;
  }

  /** The circuit breaker's state; `closed` when there is none. */
  get circuitState(): CircuitState {
    return this.breaker?.state ?? 'closed';
  }

  /** Exchanges in flight and waiting, for /readyz and tests. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.gate.inFlight, queued: this.gate.queued };
  }

  /**
   * Sends a request and returns the response with its body still streaming. The concurrency
   * slot is held until the body has been read or dropped.
   */
  stream(method: string, pathAndQuery: string, headers: Record<string, string | string[]>, body: OutgoingBody, signal?: CancelSignal): Promise<StreamedResponse> {
    // undici listens on any object with addEventListener and removeEventListener, as on an AbortSignal.
    const options = { origin: this.origin, method: method as Dispatcher.HttpMethod, path: this.basePath + pathAndQuery, headers, body, signal: signal as AbortSignal | undefined };
    if (this.breaker) return this.judged(this.breaker, () => this.streamAdmitted(options, method, body, signal));
    return this.streamAdmitted(options, method, body, signal);
  }

  private async streamAdmitted(options: Dispatcher.RequestOptions, method: string, body: OutgoingBody, signal: CancelSignal | undefined): Promise<StreamedResponse> {
    const release = await this.acquire(signal);
    try {
      const response = await this.withRetries(method, body, signal, async () => {
        const answer = await this.dispatcher.request(options);
        return { status: answer.statusCode, headers: answer.headers as Record<string, string | string[]>, body: answer.body };
      });
      response.body.once('close', release);
      return response;
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Sends a request and reads the whole response (within the size limit, the memory budget and
   * the deadline) straight from the connection: no body stream is built for a body that is read
   * at once anyway. JSON answers are checked against the shape limits chunk by chunk.
   */
  read(method: string, pathAndQuery: string, headers: Record<string, string | string[]>, body: string | Uint8Array | null, signal?: CancelSignal): Promise<BufferedResponse> {
    const options = { origin: this.origin, method: method as Dispatcher.HttpMethod, path: this.basePath + pathAndQuery, headers, body };
    // Without a breaker (the default) the exchange costs one branch more, no extra promise.
    if (this.breaker) return this.judged(this.breaker, () => this.readAdmitted(options, method, body, signal));
    return this.readAdmitted(options, method, body, signal);
  }

  /**
   * Runs an exchange past the circuit breaker and tells it how the upstream did. A request
   * refused before it left (queue full, client gone) counts neither way: outcomeOfError says so.
   */
  private async judged<T extends { status: number }>(breaker: CircuitBreaker, exchange: () => Promise<T>): Promise<T> {
    const probe = breaker.admit();
    try {
      const response = await exchange();
      breaker.record(breaker.outcomeOfStatus(response.status), probe);
      return response;
    } catch (error) {
      breaker.record(breaker.outcomeOfError(error), probe);
      throw error;
    }
  }

  private async readAdmitted(options: Dispatcher.DispatchOptions, method: string, body: string | Uint8Array | null, signal: CancelSignal | undefined): Promise<BufferedResponse> {
    const release = await this.acquire(signal);
    try {
      return await this.withRetries(method, body, signal, () => new Promise<BufferedResponse>((resolve, reject) => {
        const handler = new BufferingHandler(this.options, this.origin, resolve, reject);
        // RFC 9110 has no total-time limit; undici's header and body timeouts restart on every
        // byte, so an upstream trickling one byte at a time would hold the exchange for ever.
        const deadline = this.deadlines.start(() => handler.abort(Object.assign(new Error(`no complete answer within ${this.options.deadline} ms`), { code: 'UND_ERR_BODY_TIMEOUT' })));
        const onClientGone = () => handler.abort(clientGone());
        signal?.addEventListener('abort', onClientGone, { once: true });
        handler.onSettled = () => {
          deadline.clear();
          signal?.removeEventListener('abort', onClientGone);
        };
        this.dispatcher.dispatch(options, handler);
      }));
    } finally {
      release();
    }
  }

  /** A free slot is taken at once, without a promise; callers await either. Throws 503 when the queue is full. */
  private acquire(signal: CancelSignal | undefined): (() => void) | Promise<() => void> {
    if (signal?.aborted) throw clientGone();
    const slot = this.gate.acquire(signal);
    if (typeof slot === 'function') return slot;
    return slot.catch((error: unknown) => {
      if (signal?.aborted) throw clientGone();
      throw error;
    });
  }

  /** Retries idempotent requests whose body can be sent again, on connection failures only. */
  private async withRetries<T>(method: string, body: OutgoingBody, signal: CancelSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    // A streamed body can be read only once, so only replayable requests are retried.
    const retryable = IDEMPOTENT.has(method) && (body === null || typeof body === 'string' || body instanceof Uint8Array);
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (signal?.aborted) throw clientGone();
        // Only failures before any answer: after one, the request has certainly reached v2.
        if (retryable && tries < this.options.retries && isRetryableConnectionFailure(error) && !failedAfterAnswer.has(error as object)) continue;
        throw toUpstreamProblem(error, this.origin);
      }
    }
  }

  /** Sends a translated message; the response body is read (within the limits) and parsed. */
  async send(message: HttpMessage, exchange: SendOptions = {}): Promise<HttpMessage> {
    const { body, headers } = serializeBody(message.body, message.headers);
    // The gateway must read translated bodies, so ask for them uncompressed.
    headers['accept-encoding'] = 'identity';
    const response = await this.read(message.method, message.path + queryString(message.query), headers, body, exchange.signal);
    try {
      const encoding = response.headers['content-encoding'];
      if (encoding && encoding !== 'identity') {
        throw upstreamFailure('response-not-translatable', `the upstream service answered with content-encoding ${String(encoding)} although identity was requested`, this.origin);
      }
      const contentType = headerValue(response.headers['content-type']);
      if (exchange.jsonRequired && response.status >= 200 && response.status < 300 && response.body.length > 0 && !isJsonMediaType(contentType)) {
        throw upstreamFailure('response-not-translatable', `${message.method} ${message.path} answered ${response.status} with content type "${contentType ?? 'none'}", not JSON, so it cannot be translated`, this.origin);
      }
      // The translated body gets its own length; copying without the old one avoids a `delete`.
      const responseHeaders: Record<string, string | string[]> = {};
      for (const name in response.headers) if (name !== 'content-length') responseHeaders[name] = response.headers[name]!;
      return {
        method: '',
        path: '',
        params: {},
        query: {},
        headers: responseHeaders,
        status: response.status,
        body: parseBody(response.body, contentType, (reason) => {
          throw upstreamFailure('response-not-translatable', `${message.method} ${message.path} answered with a body that is not valid JSON: ${reason}`, this.origin);
        }),
      };
    } finally {
      this.options.memoryBudget?.release(response.body.length);
    }
  }

  /** Gives back the memory an answer from `read` held, once it is no longer needed. */
  release(response: BufferedResponse): void {
    this.options.memoryBudget?.release(response.body.length);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `{ a: '1', b: ['2', '3'] }` -> `?a=1&b=2&b=3` (empty object -> ''), encoded as URLSearchParams encodes. */
export function queryString(query: Record<string, string | string[]>): string {
  let text = '';
  for (const key in query) {
    const value = query[key];
    if (Array.isArray(value)) for (const item of value) text += `&${formEncode(key)}=${formEncode(String(item))}`;
    else if (value !== undefined && value !== null) text += `&${formEncode(key)}=${formEncode(String(value))}`;
  }
  return text ? `?${text.slice(1)}` : '';
}

/** Characters application/x-www-form-urlencoded leaves as they are (URL standard, urlencoded serializer). */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;

function formEncode(text: string): string {
  if (FORM_SAFE.test(text)) return text;
  // Anything else goes through URLSearchParams itself, so the encoding is exactly the standard's.
  return new URLSearchParams([['', text]]).toString().slice(1);
}

/** JSON values are serialised (with a JSON content type if none was set); bytes and text pass as they are. */
export function serializeBody(body: unknown, headers: Record<string, string | string[]>): { body: string | Uint8Array | null; headers: Record<string, string | string[]> } {
  // Copied without the length (recomputed) and, for no body, without a content type. A plain
  // object, as undici is given everywhere else (handed a null-prototype one on every request,
  // the gateway's memory grew by a quarter in a minute's soak); a field named `__proto__` is
  // defined as an own field, since assigning it would set the prototype and lose it.
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (name === 'content-length' || (body === undefined && name === 'content-type')) continue;
    if (name === '__proto__') Object.defineProperty(out, name, { value: headers[name], enumerable: true, writable: true, configurable: true });
    else out[name] = headers[name]!;
  }
  if (body === undefined) return { body: null, headers: out };
  if (body instanceof Uint8Array || typeof body === 'string') return { body, headers: out };
  // Serialised here, so uncompressed whatever coding the client's body arrived in.
  delete out['content-encoding'];
  out['content-type'] ??= 'application/json';
  return { body: JSON.stringify(body), headers: out };
}

/** Parses JSON bodies; other bodies stay bytes; an empty body is undefined. */
export function parseBody(raw: Buffer, contentType: string | undefined, onInvalid: (reason: string) => never): unknown {
  if (raw.length === 0) return undefined;
  if (!isJsonMediaType(contentType)) return raw;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return onInvalid((error as Error).message);
  }
}

/**
 * Reads a stream into memory, failing (and discarding the rest) past `limit` bytes. Plain
 * `data` events rather than `for await`: the async iterator costs more than the copy for the
 * small bodies most exchanges carry.
 */
export function readLimited(stream: Readable, limit: number, origin: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.destroy();
        reject(upstreamFailure('response-body-too-large', `the upstream response is larger than the ${limit}-byte translation limit`, origin));
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    stream.once('error', reject);
  });
}

/** Errors of exchanges that had already received their answer's headers (never retried). */
const failedAfterAnswer = new WeakSet<object>();

/** The client went away: its upstream exchange is abandoned. */
function clientGone(): CompatError {
  return new CompatError('client-closed-request', 'the client closed the connection before the answer was ready');
}

/**
 * Collects one response for `read`: status and headers, then the body within the size limit
 * and the memory budget, with JSON answers checked against the shape limits as they arrive.
 */
class BufferingHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private controller?: Dispatcher.DispatchController;
  private pendingAbort?: Error;
  private scanner?: JsonLimitScanner;
  private settled = false;
  onSettled?: () => void;

  constructor(
    private readonly options: UpstreamOptions,
    private readonly origin: string,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** Ends the exchange with `error` (deadline, client gone), whatever stage it is at. */
  abort(error: Error): void {
    if (this.settled) return;
    if (this.controller) this.controller.abort(error);
    else this.pendingAbort = error;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>): void {
    // 1xx interim answers come first; only the final one counts.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers;
    if (isJsonMediaType(headerValue(headers['content-type']))) this.scanner = new JsonLimitScanner(this.options.jsonLimits);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.options.bodyLimit) {
      // Aborting ends the exchange with this error (through onResponseError) and reads no more.
      controller.abort(upstreamFailure('response-body-too-large', `the upstream response is larger than the ${this.options.bodyLimit}-byte translation limit`, this.origin));
      return;
    }
    const budget = this.options.memoryBudget;
    if (budget && !budget.tryReserve(chunk.length)) {
      controller.abort(new CompatError('gateway-overloaded', 'the gateway holds as many response bodies in memory as it allows; retry shortly'));
      return;
    }
    this.chunks.push(chunk);
    if (this.scanner) {
      try {
        this.scanner.push(chunk);
      } catch (error) {
        if (!(error instanceof JsonLimitError)) throw error;
        controller.abort(upstreamFailure('response-body-too-complex', `the upstream response's ${error.message}`, this.origin));
      }
    }
  }

  onResponseEnd(): void {
    this.settle();
    this.resolve({ status: this.status, headers: this.headers, body: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size) });
    // The concatenated copy replaces the chunks; the caller releases the budget once parsed.
    if (this.chunks.length > 1) this.chunks.length = 0;
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settle();
    this.options.memoryBudget?.release(this.reservedBytes());
    if (this.status !== 0 && typeof error === 'object' && error !== null) failedAfterAnswer.add(error);
    this.reject(error);
  }

  private reservedBytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += chunk.length;
    return bytes;
  }

  private settle(): void {
    this.settled = true;
    this.onSettled?.();
  }
}
