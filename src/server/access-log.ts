import { pino, type Logger, type LevelWithSilent } from 'pino';
import { CompatError } from '../core/errors.js';
import { upstreamOfFailure } from '../upstream/upstream-errors.js';
import type { ExchangeObservation, GatewayObserver } from './observer.js';

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Paths of log fields never written as they are: credentials a client or an upstream sent.
 * Query values whose names look like credentials are masked by `redactQuery` before logging.
 */
const REDACTED_PATHS = ['headers.authorization', 'headers.cookie', 'headers["set-cookie"]', 'headers["x-api-key"]', 'headers["proxy-authorization"]'];

/** JSON lines (pino) written through `write`, with the level as a word and secrets masked. */
export function createLogger(level: LevelWithSilent, write: (line: string) => void): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    { write },
  );
}

const SECRET_NAME = /token|key|secret|passw|auth|signature|session|credential/i;

/** `?q=x&api_key=abc` -> `{ q: 'x', api_key: '[redacted]' }`; null prototype, bounded. */
export function redactQuery(search: string): Record<string, string> | undefined {
  if (search.length <= 1) return undefined;
  const query = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const [name, value] of new URLSearchParams(search)) {
    if (++count > 50) break;
    query[name.slice(0, 100)] = SECRET_NAME.test(name) ? '[redacted]' : value.slice(0, 200);
  }
  return query;
}

/** `GET /a?q=x&api_key=abc` -> `GET /a?q=x&api_key=[redacted]`: a request target safe to show (the shadow samples). */
export function redactTarget(target: string): string {
  const mark = target.indexOf('?');
  if (mark < 0) return target;
  const pairs = target
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0]!;
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return SECRET_NAME.test(decoded) ? `${name}=[redacted]` : pair;
    });
  return `${target.slice(0, mark)}?${pairs.join('&')}`;
}

/**
 * One access-log line per request: request id, method, path, endpoint, client, status,
 * duration, the number of upstream calls made and, for a gateway problem, its code and (here only, never to the client) the
 * upstream it concerned.
 */
export function accessLogObserver(logger: Logger): GatewayObserver {
  return {
    exchange(observation: ExchangeObservation) {
      const fields: Record<string, unknown> = {
        requestId: observation.requestId,
        method: observation.method,
        path: observation.path,
        query: observation.search ? redactQuery(observation.search) : undefined,
        endpoint: observation.endpoint,
        client: observation.client,
        status: observation.status,
        ms: Math.round(observation.seconds * 1e5) / 100,
        upstreamCalls: observation.upstreamCalls,
      };
      if (observation.problem) {
        fields.problem = observation.problem;
        const failure = observation.failure;
        if (failure instanceof CompatError) {
          fields.detail = failure.message;
          const upstream = upstreamOfFailure(failure);
          if (upstream) fields.upstream = upstream;
          const cause = failure.cause as { message?: string } | undefined;
          if (cause?.message) fields.cause = cause.message;
        }
      }
      if (observation.status >= 500) logger.warn(fields, 'request');
      else logger.info(fields, 'request');
    },
  };
}

/** Several observers as one. */
export function allObservers(...observers: GatewayObserver[]): GatewayObserver {
  return {
    exchange: (observation) => observers.forEach((observer) => observer.exchange(observation)),
    shadow: (endpoint, result) => observers.forEach((observer) => observer.shadow?.(endpoint, result)),
  };
}
