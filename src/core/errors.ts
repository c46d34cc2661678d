/**
 * Every failure the gateway reports to a client, as data: one stable `code` each, the HTTP
 * status and the RFC 9457 problem `title`. Clients and dashboards key on `code`, so codes
 * never change meaning. https://www.rfc-editor.org/rfc/rfc9457
 */
export const PROBLEMS = {
  'route-not-found': { status: 404, title: 'No such v1 endpoint' },
  'method-not-allowed': { status: 405, title: 'This v1 path does not take this method' },
  'endpoint-removed': { status: 410, title: 'This v1 endpoint was removed' },
  'invalid-path-parameter': { status: 400, title: 'A path parameter cannot be forwarded' },
  'unknown-query-parameter': { status: 400, title: 'Query parameter not supported by this endpoint' },
  'request-not-json': { status: 400, title: 'The request body is not valid JSON' },
  'request-not-translatable': { status: 422, title: 'The v1 request could not be translated to v2' },
  'request-body-too-large': { status: 413, title: 'The request body is larger than this gateway accepts' },
  'response-not-translatable': { status: 502, title: 'The v2 response could not be translated to v1' },
  'response-body-too-large': { status: 502, title: 'The v2 response is larger than this gateway translates' },
  'upstream-unreachable': { status: 502, title: 'The upstream service could not be reached' },
  'upstream-timeout': { status: 504, title: 'The upstream service did not answer in time' },
  'upstream-call-failed': { status: 502, title: 'A supporting v2 call failed' },
  'too-many-calls': { status: 502, title: 'Serving this request would take more v2 calls than allowed' },
  'request-too-many-items': { status: 413, title: 'The request names more items than this gateway serves at once' },
  'handler-failed': { status: 502, title: 'The endpoint handler failed' },
  'invalid-query-value': { status: 400, title: 'A query parameter has a value this endpoint does not accept' },
  'request-rejected': { status: 400, title: 'The mapping rejects this request' },
  'admin-unauthorized': { status: 401, title: 'The admin port needs its bearer token' },
  'nothing-shadowed': { status: 404, title: 'The gateway shadows no endpoint, so it has no shadow report' },
  'bad-request': { status: 400, title: 'The request is not a valid HTTP request for this gateway' },
  'unsupported-media-type': { status: 415, title: 'The endpoint cannot translate a body of this content type' },
  'unsupported-content-encoding': { status: 415, title: 'The request body is in a content coding the gateway cannot decode' },
  'request-body-too-complex': { status: 400, title: 'The request body is past a JSON shape limit of this gateway' },
  'response-body-too-complex': { status: 502, title: 'The v2 response is past a JSON shape limit of this gateway' },
  'gateway-overloaded': { status: 503, title: 'The gateway holds as many bodies in memory as it allows' },
  'upstream-overloaded': { status: 503, title: 'Too many requests are waiting for the upstream service' },
  'upstream-unavailable': { status: 503, title: 'The upstream service keeps failing; the gateway is not calling it for a while' },
  'client-closed-request': { status: 499, title: 'The client closed the connection before the answer' },
  'internal-error': { status: 500, title: 'Unexpected gateway failure' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export class CompatError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  /** Extra RFC 9457 extension members, e.g. the replacement of a removed endpoint. */
  readonly extensions: Record<string, unknown>;

  /** Headers the answer carries besides the problem (e.g. `Allow` on a 405 a mapping rejects with). */
  readonly headers: Record<string, string>;

  constructor(code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}, options?: { cause?: unknown; status?: number; headers?: Record<string, string> }) {
    super(detail, options);
    this.name = 'CompatError';
    this.code = code;
    this.status = options?.status ?? PROBLEMS[code].status;
    this.headers = options?.headers ?? {};
    this.extensions = extensions;
  }
}

/** Thrown by an op when a value cannot be translated (e.g. `"abc"` coerced to an integer). */
export class TransformError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'TransformError';
  }
}
