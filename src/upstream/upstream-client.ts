import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { CompatError } from '../core/errors.js';
import { isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import { isRetryableConnectionFailure, toUpstreamProblem } from './upstream-errors.js';

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
};

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

  constructor(baseUrl: string, options: Partial<UpstreamOptions> = {}) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.options = { ...DEFAULT_UPSTREAM_OPTIONS, ...options };
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

  /** Sends a request and returns the response with its body still streaming. */
  stream(method: string, pathAndQuery: string, headers: Record<string, string | string[]>, body: OutgoingBody): Promise<StreamedResponse> {
    const options = { origin: this.origin, method: method as Dispatcher.HttpMethod, path: this.basePath + pathAndQuery, headers, body };
    return this.withRetries(method, body, async () => {
      const response = await this.dispatcher.request(options);
      return { status: response.statusCode, headers: response.headers as Record<string, string | string[]>, body: response.body };
    });
  }

  /**
   * Sends a request and reads the whole response (within the limit) straight from the
   * connection: no body stream is built for a body that is read at once anyway.
   */
  read(method: string, pathAndQuery: string, headers: Record<string, string | string[]>, body: string | Uint8Array | null): Promise<BufferedResponse> {
    const options = { origin: this.origin, method: method as Dispatcher.HttpMethod, path: this.basePath + pathAndQuery, headers, body };
    return this.withRetries(method, body, () => new Promise<BufferedResponse>((resolve, reject) => {
      this.dispatcher.dispatch(options, new BufferingHandler(this.options.bodyLimit, this.origin, resolve, reject));
    }));
  }

  /** Retries idempotent requests whose body can be sent again, on connection failures only. */
  private async withRetries<T>(method: string, body: OutgoingBody, attempt: () => Promise<T>): Promise<T> {
    // A streamed body can be read only once, so only replayable requests are retried.
    const retryable = IDEMPOTENT.has(method) && (body === null || typeof body === 'string' || body instanceof Uint8Array);
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        // Only failures before any answer: after one, the request has certainly reached v2.
        if (retryable && tries < this.options.retries && isRetryableConnectionFailure(error) && !failedAfterAnswer.has(error as object)) continue;
        throw toUpstreamProblem(error, this.origin);
      }
    }
  }

  /** Sends a translated message; the response body is read (within the limit) and parsed. */
  async send(message: HttpMessage): Promise<HttpMessage> {
    const { body, headers } = serializeBody(message.body, message.headers);
    // The gateway must read translated bodies, so ask for them uncompressed.
    headers['accept-encoding'] = 'identity';
    const response = await this.read(message.method, message.path + queryString(message.query), headers, body);
    const encoding = response.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      throw new CompatError('response-not-translatable', `${this.origin} answered with content-encoding ${String(encoding)} although identity was requested`);
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
      body: parseBody(response.body, headerValue(response.headers['content-type']), (reason) => {
        throw new CompatError('response-not-translatable', `${message.method} ${message.path} answered with a body that is not valid JSON: ${reason}`);
      }),
    };
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
  // Copied without the length (recomputed) and, for no body, without a content type.
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (name === 'content-length' || (body === undefined && name === 'content-type')) continue;
    out[name] = headers[name]!;
  }
  if (body === undefined) return { body: null, headers: out };
  if (body instanceof Uint8Array || typeof body === 'string') return { body, headers: out };
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
        reject(new CompatError('response-body-too-large', `the response from ${origin} is larger than the ${limit}-byte translation limit`));
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

/** Collects one response for `read`: status and headers, then the body within the limit. */
class BufferingHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly origin: string,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>): void {
    // 1xx interim answers come first; only the final one counts.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      // Aborting ends the exchange with this error (through onResponseError) and reads no more.
      controller.abort(new CompatError('response-body-too-large', `the response from ${this.origin} is larger than the ${this.limit}-byte translation limit`));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.resolve({ status: this.status, headers: this.headers, body: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.status !== 0 && typeof error === 'object' && error !== null) failedAfterAnswer.add(error);
    this.reject(error);
  }
}
