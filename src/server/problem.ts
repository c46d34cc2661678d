import type { CompatError } from '../core/errors.js';

// The problem documents are data shared with the pure core (the mapping may render them in v1's
// error shape); the server keeps importing them from here.
export { PROBLEM_CONTENT_TYPE, problemBody, problemFromError, problemTypeUri } from '../core/problem.js';

/**
 * Headers a problem answer carries beside its body: 503s say when to come back (RFC 9110
 * section 10.2.3), a 415 for a content coding which codings are accepted (section 15.5.16).
 */
export function problemHeaders(error: CompatError): Record<string, string> {
  if (error.status === 503) return { 'retry-after': error.headers['retry-after'] ?? '1' };
  if (error.code === 'unsupported-content-encoding') return { 'accept-encoding': 'gzip, deflate, br' };
  return {};
}
