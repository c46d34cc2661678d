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

export function toUpstreamProblem(error: unknown, origin: string): CompatError {
  if (error instanceof CompatError) return error;
  const code = errorCode(error) ?? 'unknown';
  if (TIMEOUTS.has(code)) return new CompatError('upstream-timeout', `${origin} did not answer in time (${code})`, { upstream: origin }, { cause: error });
  if (CONNECTION_FAILURES.has(code)) return new CompatError('upstream-unreachable', `${origin} could not be reached (${code})`, { upstream: origin }, { cause: error });
  return new CompatError('upstream-unreachable', `request to ${origin} failed: ${(error as Error)?.message ?? String(error)}`, { upstream: origin }, { cause: error });
}
