import { CompatError } from '../core/errors.js';

/**
 * undici and socket error codes, mapped once to the gateway's problems.
 * https://undici.nodejs.org/#/docs/api/Errors
 */
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Failures worth one more try on an idempotent request: the request never reached the server. */
export function isRetryableConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

/**
 * The upstream a failure came from, for the logs only: client-facing problems never name an
 * internal host (a v1 client has no business learning v2's address).
 */
const failedUpstream = new WeakMap<CompatError, string>();

export function upstreamOfFailure(error: unknown): string | undefined {
  return error instanceof CompatError ? failedUpstream.get(error) : undefined;
}

/** A CompatError about `origin`, whose client-facing detail does not name it. */
export function upstreamFailure(code: ConstructorParameters<typeof CompatError>[0], detail: string, origin: string, cause?: unknown): CompatError {
  const failure = new CompatError(code, detail, {}, cause === undefined ? undefined : { cause });
  failedUpstream.set(failure, origin);
  return failure;
}

export function toUpstreamProblem(error: unknown, origin: string): CompatError {
  if (error instanceof CompatError) {
    if (!failedUpstream.has(error)) failedUpstream.set(error, origin);
    return error;
  }
  const code = errorCode(error) ?? 'unknown';
  if (TIMEOUTS.has(code)) return upstreamFailure('upstream-timeout', `the upstream service did not answer in time (${code})`, origin, error);
  if (CONNECTION_FAILURES.has(code)) return upstreamFailure('upstream-unreachable', `the upstream service could not be reached (${code})`, origin, error);
  return upstreamFailure('upstream-unreachable', `the request to the upstream service failed (${code})`, origin, error);
}
