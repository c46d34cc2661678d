import type { Lifecycle } from '../core/mapping/compiled.js';

/**
 * Headers that tell every v1 client the version is going away, computed once per table:
 * `Deprecation: @<unix-seconds>` (RFC 9745, https://www.rfc-editor.org/rfc/rfc9745),
 * `Sunset: <HTTP-date>` (RFC 8594, https://www.rfc-editor.org/rfc/rfc8594) and
 * `Link: <guide>; rel="deprecation"` (RFC 9745 section 3).
 */
export function lifecycleHeaders(lifecycle: Lifecycle): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  if (lifecycle.deprecation) headers.push(['deprecation', `@${Math.floor(lifecycle.deprecation.getTime() / 1000)}`]);
  if (lifecycle.sunset) headers.push(['sunset', lifecycle.sunset.toUTCString()]);
  if (lifecycle.guide) headers.push(['link', `<${lifecycle.guide}>; rel="deprecation"; type="text/html"`]);
  return headers;
}
