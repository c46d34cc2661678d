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
  async stream(method: string, pathAndQuery: string, headers: Record<string, string | string[]>, body: OutgoingBody): Promise<StreamedResponse> {
    const path = this.basePath + pathAndQuery;
    // A streamed body can be read only once, so only replayable requests are retried.
    const retryable = IDEMPOTENT.has(method) && (body === null || typeof body === 'string' || body instanceof Uint8Array);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.dispatcher.request({ origin: this.origin, method: method as Dispatcher.HttpMethod, path, headers, body });
        return { status: response.statusCode, headers: response.headers as Record<string, string | string[]>, body: response.body };
      } catch (error) {
        if (retryable && attempt < this.options.retries && isRetryableConnectionFailure(error)) continue;
        throw toUpstreamProblem(error, this.origin);
      }
    }
  }

  /** Sends a translated message; the response body is read (within the limit) and parsed. */
  async send(message: HttpMessage): Promise<HttpMessage> {
    const { body, headers } = serializeBody(message.body, message.headers);
    // The gateway must read translated bodies, so ask for them uncompressed.
    headers['accept-encoding'] = 'identity';
    const response = await this.stream(message.method, message.path + queryString(message.query), headers, body);
    const raw = await readLimited(response.body, this.options.bodyLimit, this.origin);
    const encoding = response.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      throw new CompatError('response-not-translatable', `${this.origin} answered with content-encoding ${String(encoding)} although identity was requested`);
    }
    const responseHeaders = { ...response.headers };
    delete responseHeaders['content-length'];
    return {
      method: '',
      path: '',
      params: {},
      query: {},
      headers: responseHeaders,
      status: response.status,
      body: parseBody(raw, headerValue(response.headers['content-type']), (reason) => {
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

/** `{ a: '1', b: ['2', '3'] }` -> `?a=1&b=2&b=3` (empty object -> ''). */
export function queryString(query: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** JSON values are serialised (with a JSON content type if none was set); bytes and text pass as they are. */
export function serializeBody(body: unknown, headers: Record<string, string | string[]>): { body: string | Uint8Array | null; headers: Record<string, string | string[]> } {
  const out = { ...headers };
  delete out['content-length'];
  if (body === undefined) {
    delete out['content-type'];
    return { body: null, headers: out };
  }
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

/** Reads a stream into memory, failing (and discarding the rest) past `limit` bytes. */
export async function readLimited(stream: Readable, limit: number, origin: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new CompatError('response-body-too-large', `the response from ${origin} is larger than the ${limit}-byte translation limit`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}
