import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { CompatError } from '../core/errors.js';

/**
 * Decodes a body sent with `Content-Encoding` (RFC 9110 section 8.4). Streamed endpoints pass the
 * client's Accept-Encoding on, so an error answer to translate may arrive compressed.
 */
export function decodeBody(bytes: Buffer, encoding: string | string[] | undefined, origin: string): Buffer {
  const codings = String(encoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
  // Codings are listed in the order they were applied, so they are undone last first.
  return codings.reverse().reduce((body, coding) => {
    try {
      if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(body);
      if (coding === 'deflate') return inflateSync(body);
      if (coding === 'br') return brotliDecompressSync(body);
    } catch (error) {
      throw new CompatError('response-not-translatable', `${origin} sent a ${coding} body that does not decode: ${(error as Error).message}`);
    }
    throw new CompatError('response-not-translatable', `${origin} sent a body in content-encoding "${coding}", which the gateway cannot decode`);
  }, bytes);
}
