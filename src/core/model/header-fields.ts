/**
 * Connection-specific header fields that a proxy must not forward (RFC 9110 section 7.6.1,
 * https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1), plus the pre-standard ones still seen in
 * the wild. Fields named in `Connection` are hop-by-hop too.
 */
export const HOP_BY_HOP_FIELDS = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'] as const;

/** Also never forwarded: recomputed per hop (length, host) or meaningless across a proxy. */
export const RECOMPUTED_FIELDS = ['content-length', 'host', 'expect', 'http2-settings'] as const;
