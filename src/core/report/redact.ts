import { covers, fromPointer, parsePattern, type PathPattern } from '../compare/path-pattern.js';
import type { CompatReport, Difference } from '../model/report.js';
import { isRecord } from '../transform/path.js';

export const REDACTED = '[redacted]';

/** Always secret, whatever the suite says: credentials and session cookies (RFC 9110, RFC 6265). */
export const ALWAYS_REDACTED: readonly PathPattern[] = ['headers.authorization', 'headers.proxy-authorization', 'headers.cookie', 'headers.set-cookie', 'headers.x-api-key'].map(parsePattern);

/**
 * Replaces secret values in every difference of a report: the credential headers above plus the
 * suite's `redact` paths, wherever they sit, including inside a larger value reported at an
 * ancestor (a whole body that differs).
 */
export function redactReport(report: CompatReport, configured: readonly PathPattern[]): CompatReport {
  const patterns = [...ALWAYS_REDACTED, ...configured];
  const clean = (difference: Difference): Difference => {
    const at = fromPointer(difference.pointer);
    const out = { ...difference };
    if ('v1' in out) out.v1 = redactValue(out.v1, at, patterns);
    if ('actual' in out) out.actual = redactValue(out.actual, at, patterns);
    return out;
  };
  return {
    ...report,
    scenarios: report.scenarios.map((scenario) => ({
      ...scenario,
      differences: scenario.differences.map(clean),
      ...(scenario.direct ? { direct: { ...scenario.direct, differences: scenario.direct.differences.map(clean) } } : {}),
    })),
    run: { ...report.run, targets: Object.fromEntries(Object.entries(report.run.targets).map(([name, url]) => [name, withoutCredentials(url)])) },
  };
}

export function redactValue(value: unknown, at: readonly string[], patterns: readonly PathPattern[]): unknown {
  if (value === undefined) return value;
  if (patterns.some((pattern) => covers(pattern, at))) return REDACTED;
  if (Array.isArray(value)) return value.map((item, i) => redactValue(item, [...at, String(i)], patterns));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, [...at, key], patterns)]));
  return value;
}

/** `http://user:secret@host/` -> `http://host/`. */
export function withoutCredentials(url: string | undefined): string | undefined {
  if (!url) return url;
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
