import { createHash } from 'node:crypto';
import type { CorsPolicy, RenderPolicy } from '../core/mapping/http-policy.js';
import { isJsonMediaType, type HeaderValue, type HttpMessage } from '../core/model/http-message.js';

/*
 * The last stage of an exchange, shared by the gateway and `translate`: the v1 answer's bytes
 * (JSON formatting, exact Content-Type), its validator (ETag, If-None-Match -> 304) and v1's CORS
 * policy. Everything here is a decision about headers and bytes, so the dry run shows what the
 * live gateway sends.
 */

/** Statuses whose answers carry no content (RFC 9110 sections 15.3.5, 15.3.6, 15.4.5). */
export const NO_BODY_STATUS: ReadonlySet<number> = new Set([204, 205, 304]);

export interface FinishedBody {
  status: number;
  headers: Record<string, HeaderValue>;
  body: string | Uint8Array | null;
}

/** The request facts the last stage needs. */
export interface AnswerRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

export function finishBody(message: HttpMessage, render: RenderPolicy, request: AnswerRequest | undefined): FinishedBody {
  const headers: Record<string, HeaderValue> = { ...message.headers };
  let status = message.status;
  let body: string | Uint8Array | null = null;
  if (message.body === undefined || NO_BODY_STATUS.has(status)) {
    delete headers['content-type'];
  } else if (message.body instanceof Uint8Array || typeof message.body === 'string') {
    body = message.body;
  } else {
    body = render.indent > 0 ? JSON.stringify(message.body, null, render.indent) : JSON.stringify(message.body);
    const declared = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
    if (declared === undefined) headers['content-type'] = render.contentType ?? 'application/json';
    else if (render.contentType && isJsonMediaType(declared) && !declared.toLowerCase().startsWith('application/problem+json')) headers['content-type'] = render.contentType;
  }
  const etag = render.etag;
  if (etag && request && etag.methods.includes(request.method) && status === 200 && body !== null) {
    const digest = createHash(etag.algorithm).update(body).digest(etag.encoding);
    const tag = `${etag.weak ? 'W/' : ''}"${digest}"`;
    headers.etag = tag;
    if (ifNoneMatchMatches(request.headers['if-none-match'], tag)) {
      // RFC 9110 section 15.4.5: a 304 carries the validator and no content.
      status = 304;
      body = null;
      delete headers['content-type'];
      delete headers['content-length'];
    }
  }
  return { status, headers, body };
}

/** If-None-Match uses the weak comparison: `W/` prefixes do not matter (RFC 9110 section 13.1.2). */
export function ifNoneMatchMatches(header: string | string[] | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '*') return true;
  const opaque = tag.replace(/^W\//, '');
  return text.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/**
 * CORS headers for an actual (not preflight) request under v1's policy
 * (https://fetch.spec.whatwg.org/#http-responses): an allowed Origin is reflected, never `*`
 * when credentials are allowed, and answers vary by Origin.
 */
export function corsHeaders(policy: CorsPolicy, origin: string | string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (policy.vary) headers.vary = 'Origin';
  if (typeof origin !== 'string' || !originAllowed(policy, origin)) return headers;
  headers['access-control-allow-origin'] = policy.origins === '*' && !policy.credentials ? '*' : origin;
  if (policy.credentials) headers['access-control-allow-credentials'] = 'true';
  if (policy.exposeHeaders.length) headers['access-control-expose-headers'] = policy.exposeHeaders.join(', ');
  return headers;
}

function originAllowed(policy: CorsPolicy, origin: string): boolean {
  return policy.origins === '*' || policy.origins.has(origin);
}

/** The canonical order methods are listed in `Allow` and `Access-Control-Allow-Methods`. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Methods as `Allow` lists them: HEAD wherever GET is served (RFC 9110 section 9.3.2), once each, in the canonical order. */
export function advertisedMethods(methods: Iterable<string>): string[] {
  const listed = new Set<string>();
  for (const method of methods) {
    listed.add(method);
    if (method === 'GET') listed.add('HEAD');
  }
  return [...listed].sort((a, b) => (METHOD_ORDER.indexOf(a) + 1 || 99) - (METHOD_ORDER.indexOf(b) + 1 || 99));
}

/**
 * The gateway's own answer to `OPTIONS` on a mapped v1 route: `Allow`, and for a preflight
 * (`Access-Control-Request-Method`) from an allowed origin the CORS grant. A preflight from
 * another origin gets no grant, so the browser stops there.
 */
export function preflightAnswer(policy: CorsPolicy, routeMethods: readonly string[], requestHeaders: AnswerRequest['headers']): { status: number; headers: Record<string, string> } {
  const methods = advertisedMethods(routeMethods);
  const headers: Record<string, string> = { allow: [...methods, 'OPTIONS'].join(', ') };
  if (policy.vary) headers.vary = 'Origin';
  const origin = requestHeaders.origin;
  if (requestHeaders['access-control-request-method'] !== undefined && typeof origin === 'string' && originAllowed(policy, origin)) {
    headers['access-control-allow-origin'] = policy.origins === '*' && !policy.credentials ? '*' : origin;
    if (policy.credentials) headers['access-control-allow-credentials'] = 'true';
    headers['access-control-allow-methods'] = (policy.allowMethods ?? methods).join(', ');
    if (policy.allowHeaders) headers['access-control-allow-headers'] = policy.allowHeaders.join(', ');
    if (policy.maxAge !== undefined) headers['access-control-max-age'] = String(policy.maxAge);
  }
  return { status: 204, headers };
}

/** v2's own CORS answer is replaced by v1's policy, never mixed with it. */
export function isCorsHeader(name: string): boolean {
  return name.startsWith('access-control-');
}
