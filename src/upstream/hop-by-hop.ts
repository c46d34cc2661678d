/**
 * Connection-specific header fields that a proxy must not forward (RFC 9110 section 7.6.1,
 * https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1), plus the pre-standard ones still seen in
 * the wild. Fields named in `Connection` are hop-by-hop too.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Also never forwarded: recomputed per hop (length, host) or meaningless across a proxy. */
const RECOMPUTED = new Set(['content-length', 'host', 'expect', 'http2-settings']);

export function forwardableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const connectionListed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || RECOMPUTED.has(lower) || connectionListed.has(lower)) continue;
    result[lower] = value;
  }
  return result;
}
