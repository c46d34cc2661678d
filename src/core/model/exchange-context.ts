import type { HttpMessage } from './http-message.js';

/**
 * The v1 request as the client sent it, read-only, beside the message a stage edits. `url` is
 * the absolute v1 URL as the client addressed it (built by the edge that received the request,
 * which alone knows whether `Host` and `X-Forwarded-*` can be trusted).
 */
export interface RequestView extends Readonly<HttpMessage> {
  readonly url: string;
}

/**
 * What every stage of one exchange may read besides the message it edits: the v1 request, the
 * v2 request once built, and the responses of calls already answered (`main` and call ids).
 * Templates address them as `request.query.x`, `v2request.body.y`, `main.body.z`, `<call>.body`;
 * `item` is the element a `forEach` call or a list op is working on.
 */
export interface ExchangeContext {
  readonly endpoint: string;
  readonly request: RequestView;
  v2Request?: HttpMessage;
  readonly responses: Record<string, unknown>;
  item?: unknown;
}

/**
 * A read-only copy of the v1 request, taken before request steps edit the message in place.
 * The top-level parts are copied and frozen; the body is deep-copied only when something reads
 * it, so endpoints that never look at `request.body` pay nothing for it.
 */
export function snapshotRequest(message: HttpMessage, url: string, copyBody: boolean): RequestView {
  return Object.freeze({
    method: message.method,
    path: message.path,
    status: 0,
    url,
    params: Object.freeze({ ...message.params }),
    query: Object.freeze({ ...message.query }),
    headers: Object.freeze({ ...message.headers }),
    body: copyBody && typeof message.body === 'object' && message.body !== null && !(message.body instanceof Uint8Array) ? structuredClone(message.body) : message.body,
  });
}

export function newContext(endpoint: string, request: RequestView): ExchangeContext {
  return { endpoint, request, responses: Object.create(null) as Record<string, unknown> };
}

/** A context for stages run outside an exchange (dry runs of one step, resource round trips). */
export function detachedContext(endpoint = ''): ExchangeContext {
  return newContext(endpoint, Object.freeze({ method: '', path: '', status: 0, url: '', params: {}, query: {}, headers: {}, body: undefined }));
}
