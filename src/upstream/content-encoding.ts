import { pipeline, Readable, type Transform } from 'node:stream';
import { brotliDecompressSync, createBrotliDecompress, createGunzip, createInflate, gunzipSync, inflateSync } from 'node:zlib';
import { CompatError } from '../core/errors.js';
import { upstreamFailure } from './upstream-errors.js';

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
        throw upstreamFailure('response-not-translatable', `the upstream service sent a ${coding} body that does not decode: ${(error as Error).message}`, origin);
    }
    throw upstreamFailure('response-not-translatable', `the upstream service sent a body in content-encoding "${coding}", which the gateway cannot decode`, origin);
  }, bytes);
}

function decoderFor(coding: string): Transform {
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
  if (coding === 'deflate') return createInflate();
  if (coding === 'br') return createBrotliDecompress();
  throw new CompatError('unsupported-content-encoding', `the request body is in content-encoding "${coding}"; send it uncompressed, or as gzip, deflate or br`);
}

/**
 * A request body with its `Content-Encoding` undone, as a stream, so the caller's size limit
 * applies to the decoded bytes as they come (a small compressed body cannot expand unchecked).
 * A body that does not decode is a 400.
 */
export function requestDecoder(body: AsyncIterable<Uint8Array>, encoding: string | string[]): AsyncIterable<Uint8Array> {
  const codings = String(encoding)
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
  if (codings.length === 0) return body;
  const decoders = codings.reverse().map(decoderFor);
  // pipeline, not pipe: a failure in any stage ends the last one with that error.
  const stream = pipeline([Readable.from(body, { objectMode: false }), ...decoders], () => {}) as unknown as Readable;
  const failed = (error: unknown) => (error instanceof CompatError ? error : new CompatError('request-not-json', `the request body does not decode as ${codings.join(', ')}: ${(error as Error).message}`));
  return (async function* decoded() {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (error) {
      throw failed(error);
    } finally {
      for (const decoder of decoders) decoder.destroy();
    }
  })();
}
