import { MatcherArgumentError, type MatcherRule } from '../matcher.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DEFAULT_WINDOW = '1m';

/** `"30s"`, `"5m"`, `"2h"`, `"1d"`, `"250ms"`, or a number of milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

/**
 * ISO 8601 / RFC 3339 strings, HTTP dates, and epoch numbers (seconds below 1e11, else
 * milliseconds: 1e11 seconds is the year 5138, 1e11 milliseconds is 1973).
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string' || !/\d/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

export const timestampWindow: MatcherRule = {
  id: 'timestamp-window',
  key: 'timestamp',
  summary: `Both values are timestamps (ISO 8601, HTTP date or epoch) at most a window apart ("30s", "5m", "2h"; default ${DEFAULT_WINDOW}).`,
  example: 'match: { body.**.updated_at: { timestamp: 5m } }',
  shorthand: DEFAULT_WINDOW,
  compile(args) {
    const window = parseDuration(args === true ? DEFAULT_WINDOW : args);
    if (window === undefined) throw new MatcherArgumentError('"timestamp" needs a window such as "30s", "5m", "2h" or a number of milliseconds');
    return {
      rule: 'timestamp-window',
      describe: `timestamp within ${typeof args === 'number' ? `${args}ms` : String(args === true ? DEFAULT_WINDOW : args)}`,
      accepts: (v1, actual) => {
        const a = parseInstant(v1);
        const b = parseInstant(actual);
        return a !== undefined && b !== undefined && Math.abs(a - b) <= window;
      },
    };
  },
};
