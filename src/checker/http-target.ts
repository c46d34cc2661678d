import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import type { ObservedResponse } from '../core/compare/view.js';
import { isJsonMediaType, type HeaderValue } from '../core/model/http-message.js';
import { errorCode } from '../upstream/upstream-errors.js';

/** One request as the checker sends it: the scenario's request with its captures filled. */
export interface OutgoingRequest {
  method: string;
  /** Path and query, appended to the target's base URL. */
  target: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Sent byte for byte instead of `body` (its content-type header says what it claims to be). */
  bodyText?: string;
}

export interface TimedResponse extends ObservedResponse {
  /** From sending the request to the last byte of the body. */
  ms: number;
}

/** A target that could not be judged: down, too slow, or not speaking HTTP/JSON. Never a stack trace. */
export class TargetFailure extends Error {
  constructor(
    readonly target: string,
    message: string,
  ) {
    super(message);
    this.name = 'TargetFailure';
  }
}

/** The caller stopped the run (Ctrl-C): not a failure of the target. */
export class RunAborted extends Error {
  constructor() {
    super('the run was interrupted');
    this.name = 'RunAborted';
  }
}

/** A base URL the checker talks to (real v1, the gateway, or v2 for `--direct`). */
export class HttpTarget {
  private readonly base: URL;

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs: number,
  ) {
    this.base = new URL(baseUrl);
  }

  get origin(): string {
    return this.base.origin;
  }

  async send(outgoing: OutgoingRequest, stop: AbortSignal): Promise<TimedResponse> {
    if (stop.aborted) throw new RunAborted();
    const url = this.base.origin + this.base.pathname.replace(/\/+$/, '') + outgoing.target;
    const headers = { ...outgoing.headers };
    let body: string | undefined;
    if (outgoing.bodyText !== undefined) body = outgoing.bodyText;
    else if (outgoing.body !== undefined) {
      body = typeof outgoing.body === 'string' && !isJsonMediaType(headers['content-type']) ? outgoing.body : JSON.stringify(outgoing.body);
      headers['content-type'] ??= 'application/json';
    }
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const started = performance.now();
    try {
      const response = await request(url, {
        method: outgoing.method as Dispatcher.HttpMethod,
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.any([stop, deadline]),
      });
      const raw = await response.body.text();
      const ms = performance.now() - started;
      const responseHeaders = response.headers as Record<string, HeaderValue>;
      return { status: response.statusCode, headers: responseHeaders, body: this.parse(raw, responseHeaders, outgoing), ms };
    } catch (error) {
      if (error instanceof TargetFailure) throw error;
      if (stop.aborted) throw new RunAborted();
      throw new TargetFailure(this.name, `${outgoing.method} ${outgoing.target}: ${describeFailure(error, deadline.aborted, this.timeoutMs, this.base.origin)}`);
    }
  }

  /**
   * Whether anything answers HTTP at the base URL (any status will do): asked once before the
   * first scenario, so a target that is down ends the run at once instead of as N errors.
   * Returns why not, or undefined when it answered.
   */
  async unreachable(stop: AbortSignal): Promise<string | undefined> {
    if (stop.aborted) throw new RunAborted();
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await request(this.base.origin + this.base.pathname, {
        method: 'GET',
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.any([stop, deadline]),
      });
      await response.body.dump();
      return undefined;
    } catch (error) {
      if (stop.aborted) throw new RunAborted();
      return describeFailure(error, deadline.aborted, this.timeoutMs, this.base.origin);
    }
  }

  private parse(raw: string, headers: Record<string, HeaderValue>, outgoing: OutgoingRequest): unknown {
    if (raw === '') return undefined;
    const contentType = headers['content-type'];
    if (!isJsonMediaType(Array.isArray(contentType) ? contentType[0] : contentType)) return raw;
    try {
      return JSON.parse(raw);
    } catch (error) {
      const excerpt = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
      throw new TargetFailure(this.name, `${outgoing.method} ${outgoing.target}: answered ${String(contentType)} that is not valid JSON (${(error as Error).message}): ${JSON.stringify(excerpt)}`);
    }
  }
}

/** undici and socket failures in words a person can act on. */
export function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number, origin: string): string {
  const code = errorCode(error);
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer from ${origin} within ${timeoutMs} ms (--timeout)`;
  }
  if (code === 'ECONNREFUSED') return `${origin} refused the connection (ECONNREFUSED): is it running?`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return `${origin} closed the connection before answering (${code})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${origin}: host not found (${code})`;
  if (error instanceof undiciErrors.HTTPParserError || code?.startsWith('HPE_')) return `${origin} answered with something that is not HTTP (${code ?? 'parse error'})`;
  return `request to ${origin} failed: ${(error as Error)?.message ?? String(error)}${code ? ` (${code})` : ''}`;
}
