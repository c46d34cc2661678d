import { CompatError } from '../core/errors.js';
import type { CompiledEndpoint, CompiledTable } from '../core/mapping/compiled.js';
import { emptyMessage, isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import { snapshotRequest } from '../core/model/exchange-context.js';
import { exchange } from '../core/pipeline/exchange.js';
import { gatewayErrorMessage } from '../core/pipeline/gateway-error.js';
import type { TraceEntry } from '../core/pipeline/trace.js';
import { parseQuery } from '../server/message-io.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { errorCode } from '../upstream/upstream-errors.js';
import { describeFailure, RunAborted, type OutgoingRequest } from './http-target.js';

export interface FloorExchange {
  /** The v1 response the gateway would build, translated here; undefined when translation failed. */
  response?: HttpMessage;
  /** The v1 request as sent (before translation), for rule coverage. */
  request: HttpMessage;
  /** Time spent on the v2 calls and translation; undefined when nothing was sent to v2. */
  ms?: number;
  trace: TraceEntry[];
  /** Why the exchange has no answer or no time: the floor failed or is no longer tried. */
  failure?: string;
}

/** Problems the gateway answers on its own, before or without v2: the same answer here. */
const GATEWAY_ANSWERS = new Set(['request-rejected', 'invalid-query-value', 'unknown-query-parameter', 'request-not-translatable', 'invalid-path-parameter', 'request-too-many-items']);
/** Problems that mean v2 cannot be reached at all from here, as opposed to one bad exchange. */
const UNREACHABLE = new Set(['upstream-unreachable', 'upstream-timeout']);
/** undici's and the socket's own words for the same (a body that stalls never becomes a CompatError). */
const UNREACHABLE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The `v2-floor` target: the same translation the gateway performs, done here with the core
 * pipeline, and the resulting v2 calls sent straight to v2. Gateway latency minus this is the
 * gateway's own overhead; the trace says which mapping rules each exchange exercised.
 *
 * Best effort: the floor only measures, it never judges, so no failure of it may stop a run.
 * Every failure is returned as the exchange's `failure` (and remembered in `failures`); one that
 * says v2 cannot answer the checker at all also turns the floor off for the rest of the run.
 */
export class FloorTarget {
  private readonly client: UpstreamClient;
  /** Set once v2 proved unreachable from the checker: the floor is skipped from then on. */
  unavailable?: string;
  /** Exchanges that failed for another reason, and the first reason. */
  failures = 0;
  firstFailure?: string;

  constructor(
    private readonly table: CompiledTable,
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.client = new UpstreamClient(baseUrl, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs, retries: 0 });
  }

  async exchange(endpoint: CompiledEndpoint, params: Record<string, string>, outgoing: OutgoingRequest, stop: AbortSignal): Promise<FloorExchange> {
    if (stop.aborted) throw new RunAborted();
    const [path, search = ''] = splitTarget(outgoing.target);
    const headers: Record<string, string> = { ...outgoing.headers };
    if (outgoing.body !== undefined) headers['content-type'] ??= 'application/json';
    let body = outgoing.body;
    let unparsable: string | undefined;
    if (outgoing.bodyText !== undefined) {
      body = outgoing.bodyText;
      if (isJsonMediaType(headers['content-type'])) {
        try {
          body = JSON.parse(outgoing.bodyText);
        } catch {
          unparsable = 'the request body is not valid JSON, so the gateway answers it without asking v2';
        }
      }
    }
    const request = emptyMessage({ method: outgoing.method, path, params, query: parseQuery(search), headers, body });
    const trace: TraceEntry[] = [];
    if (endpoint.removed) return { request, trace };
    if (unparsable) return { request, trace, failure: unparsable };
    if (this.unavailable) return { request, trace, failure: `v2 could not be reached from the checker (${this.unavailable})` };
    const started = performance.now();
    try {
      const result = await exchange(this.table, endpoint, structuredClone(request), (message) => this.client.send(message), trace, { url: `${this.baseUrl}${outgoing.target}` });
      return { request, response: result.response, ms: performance.now() - started, trace };
    } catch (error) {
      if (stop.aborted) throw new RunAborted();
      if (error instanceof CompatError && GATEWAY_ANSWERS.has(error.code)) {
        // The gateway answers this request itself (a v1 validation the mapping makes, a
        // parameter it cannot translate): that is the floor's answer too, and its rules ran.
        const view = snapshotRequest(request, `${this.baseUrl}${outgoing.target}`, false);
        return { request, response: gatewayErrorMessage(this.table, endpoint, error, view), ms: performance.now() - started, trace };
      }
      const reason = error instanceof CompatError ? error.message : describeFailure(error, false, this.timeoutMs, new URL(this.baseUrl).origin);
      // A v2 the checker cannot reach (say, the gateway's upstream differs from the mapping's and
      // no --v2 was given), or one that never answers it, would cost a timeout per exchange: give
      // up on the floor once.
      if (error instanceof CompatError ? UNREACHABLE.has(error.code) : UNREACHABLE_CODES.has(errorCode(error) ?? '')) {
        this.unavailable = reason;
        return { request, trace, failure: `v2 could not be reached from the checker (${reason})` };
      }
      this.failures++;
      this.firstFailure ??= reason;
      return { request, trace, failure: `the checker's own call to v2 failed (${reason})` };
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function splitTarget(target: string): [string, string?] {
  const mark = target.indexOf('?');
  return mark < 0 ? [target] : [target.slice(0, mark), target.slice(mark)];
}
