import { covers, fromPointer, parsePattern, type PathPattern } from '../compare/path-pattern.js';
import type { CompatReport, Difference } from '../model/report.js';
import { isRecord } from '../transform/path.js';
import { rootCauses } from './root-causes.js';

export const REDACTED = '[redacted]';

/** Always secret, whatever the suite says: credentials and session cookies (RFC 9110, RFC 6265). */
export const ALWAYS_REDACTED: readonly PathPattern[] = ['headers.authorization', 'headers.proxy-authorization', 'headers.cookie', 'headers.set-cookie', 'headers.x-api-key'].map(parsePattern);

/** Secrets shorter than this are not searched for in text: they would match by chance. */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces secret values in every difference of a report: the credential headers above plus the
 * suite's `redact` paths, wherever they sit, including inside a larger value reported at an
 * ancestor (a whole body that differs). Values are redacted where they are produced too (the
 * expectation sentences); as a second line of defence, every secret the run saw (`seen`, from
 * `secretStrings`) is replaced wherever it still occurs in text: errors that quote a request
 * target holding a captured token, expectation messages, difference values and reasons.
 */
export function redactReport(report: CompatReport, configured: readonly PathPattern[], seen: Iterable<string> = []): CompatReport {
  const patterns = [...ALWAYS_REDACTED, ...configured];
  const scrub = scrubber(seen);
  const clean = (difference: Difference): Difference => {
    const at = fromPointer(difference.pointer);
    const out = { ...difference };
    if ('v1' in out) out.v1 = redactValue(out.v1, at, patterns);
    if ('actual' in out) out.actual = redactValue(out.actual, at, patterns);
    if (!scrub) return out;
    if ('v1' in out) out.v1 = scrubDeep(out.v1, scrub);
    if ('actual' in out) out.actual = scrubDeep(out.actual, scrub);
    return { ...out, reason: scrub(out.reason) };
  };
  const scenarios = report.scenarios.map((scenario) => ({
    ...scenario,
    differences: scenario.differences.map(clean),
    ...(scenario.direct ? { direct: { ...scenario.direct, differences: scenario.direct.differences.map(clean) } } : {}),
  }));
  const redacted: CompatReport = {
    ...report,
    // Text that may quote a secret: errors, expectation sentences, score details.
    ...(scrub
      ? {
          endpoints: report.endpoints.map((endpoint) => ({ ...endpoint, components: endpoint.components.map((component) => ({ ...component, detail: scrub(component.detail) })) })),
          scenarios: scenarios.map((scenario) => ({
            ...scenario,
            ...(scenario.error !== undefined ? { error: scrub(scenario.error) } : {}),
            expectations: scenario.expectations.map((expectation) => ({ ...expectation, message: scrub(expectation.message) })),
            ...(scenario.direct?.error !== undefined ? { direct: { ...scenario.direct, error: scrub(scenario.direct.error) } } : {}),
          })),
        }
      : { scenarios }),
    run: { ...report.run, targets: Object.fromEntries(Object.entries(report.run.targets).map(([name, url]) => [name, withoutCredentials(url)])) },
  };
  // The groups quote their examples: built again from the redacted differences.
  return report.rootCauses ? { ...redacted, rootCauses: rootCauses(redacted.scenarios) } : redacted;
}

/**
 * The secret strings in one message (`{ headers, body }`, a response or a request): every string
 * at a place the patterns cover, the credential headers included, and for headers also the
 * credentials inside them (the token after `Bearer `, each cookie's value), since text may quote
 * those alone.
 */
export function secretStrings(message: { headers?: Record<string, unknown>; body?: unknown }, configured: readonly PathPattern[]): string[] {
  const patterns = [...ALWAYS_REDACTED, ...configured];
  const found = new Set<string>();
  const add = (text: string) => {
    if (text.length >= MIN_SECRET_LENGTH) found.add(text);
  };
  const visit = (value: unknown, at: string[], secret: boolean) => {
    const here = secret || patterns.some((pattern) => covers(pattern, at));
    if (typeof value === 'string') {
      if (!here) return;
      add(value);
      if (at[0] === 'headers') for (const part of credentialParts(value, at[1] === 'set-cookie')) add(part);
    } else if (Array.isArray(value)) {
      // Repeated headers (set-cookie) are arrays of values of the same header.
      value.forEach((item, i) => visit(item, at[0] === 'headers' && at.length === 2 ? at : [...at, String(i)], here));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...at, at[0] === 'headers' && at.length === 1 ? key.toLowerCase() : key], here);
    }
  };
  if (message.headers) visit(message.headers, ['headers'], false);
  // Only configured patterns reach into bodies: without one, a body holds nothing to look for.
  if (message.body !== undefined && configured.length > 0) visit(message.body, ['body'], false);
  return [...found];
}

/** `Bearer abc` -> `abc`; `a=1; b=2` -> `1`, `2`; a set-cookie `sid=abc; Path=/` -> `abc` (the rest are attributes). */
function credentialParts(value: string, setCookie: boolean): string[] {
  const parts: string[] = [];
  const scheme = /^[A-Za-z][\w.+-]*\s+(\S.*)$/.exec(value);
  if (scheme) parts.push(scheme[1]!);
  const pieces = value.split(/;\s*/);
  for (const piece of setCookie ? pieces.slice(0, 1) : pieces) {
    const equals = piece.indexOf('=');
    if (equals > 0) parts.push(piece.slice(equals + 1).trim());
  }
  return parts;
}

/** A text with every seen secret replaced (for what is printed while a run goes on). */
export function scrubSecrets(text: string, seen: Iterable<string>): string {
  return scrubber(seen)?.(text) ?? text;
}

/** Replaces every seen secret in a text; undefined when there is nothing to look for. */
function scrubber(seen: Iterable<string>): ((text: string) => string) | undefined {
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...new Set(seen)].filter((secret) => secret.length >= MIN_SECRET_LENGTH && secret !== REDACTED).sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return undefined;
  return (text) => secrets.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join(REDACTED) : out), text);
}

function scrubDeep(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrub));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, scrub)]));
  return value;
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
