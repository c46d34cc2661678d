import type { CompiledTable } from '../core/mapping/compiled.js';
import { fromTrustedProxy, splitUrl, type IncomingV1 } from './message-io.js';

/** A Host header value a URL may be built from: a name or address, and a port (RFC 9110 section 7.2). */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The absolute v1 URL as the client addressed it, for `request.url` (paging `Link` headers and
 * the like). The mapping's `publicUrl` wins; then, only on a connection from a `--trusted-proxies`
 * address, the first `X-Forwarded-Proto` and `X-Forwarded-Host`; otherwise the scheme of the
 * connection and the client's `Host`, which is what a v1 service would have used. A client's own
 * `X-Forwarded-*` are never read: it could set them to anything.
 */
export function requestUrl(table: CompiledTable, v1: IncomingV1): string {
  const { path, search } = splitUrl(v1.request.url);
  if (table.publicUrl) return `${table.publicUrl}${path}${search}`;
  if (fromTrustedProxy(v1)) {
    const first = (value: unknown) => (typeof value === 'string' ? value.split(',')[0]!.trim() : undefined);
    const proto = first(v1.headers['x-forwarded-proto']);
    const forwardedHost = first(v1.headers['x-forwarded-host']);
    if ((proto === 'http' || proto === 'https') && forwardedHost && HOST.test(forwardedHost)) return `${proto}://${forwardedHost}${path}${search}`;
  }
  const host = v1.headers.host;
  if (typeof host === 'string' && HOST.test(host)) {
    // node sets the socket to null once the request stream is destroyed, as it is when the
    // gateway refuses a body part-way through reading it.
    const socket = v1.incoming?.socket;
    const scheme = socket && 'encrypted' in socket ? 'https' : v1.incoming ? 'http' : new URL(v1.request.url).protocol.slice(0, -1);
    return `${scheme}://${host}${path}${search}`;
  }
  const url = new URL(v1.request.url);
  return `${url.protocol}//${url.host}${path}${search}`;
}
