import { CompatError } from '../core/errors.js';
import type { CompiledTable } from '../core/mapping/compiled.js';
import { isJsonMediaType } from '../core/model/http-message.js';
import { hasRequestBody, releaseRequestMemory, type IncomingV1 } from './message-io.js';

/**
 * Checks made on a request before any of its body is read, and the bookkeeping after it is
 * answered. Refusing early is what keeps the work per request bounded: a 9 MiB `text/plain` body
 * sent to an endpoint that translates JSON is a 415 at once, not 9 MiB read, held and walked.
 */
export interface RequestGuard {
  /** Throws the problem to answer instead, if the request must not be served. */
  admit(endpointId: string, v1: IncomingV1): void;
  /** `handler`, run only once `admit` lets the request through to this endpoint. */
  admitting<H extends (v1: IncomingV1, ...rest: never[]) => Promise<Response>>(endpoint: { id: string }, handler: H): H;
  /** After the answer: gives back what the request held. */
  finish(v1: IncomingV1): void;
}

export function createRequestGuard(table: CompiledTable): RequestGuard {
  const translatesRequestBody = new Set(table.endpoints.filter((endpoint) => !endpoint.removed && endpoint.readsRequestBody).map((endpoint) => endpoint.id));
  return {
    admit(endpointId, v1) {
      if (!translatesRequestBody.has(endpointId) || !hasRequestBody(v1)) return;
      const contentType = v1.headers['content-type'];
      const mediaType = typeof contentType === 'string' ? contentType : undefined;
      // RFC 9110 section 15.5.16: the body's media type is not one this endpoint can process.
      if (!isJsonMediaType(mediaType)) {
        throw new CompatError('unsupported-media-type', `this endpoint translates JSON request bodies; send Content-Type: application/json (got ${mediaType ? `"${mediaType.slice(0, 100)}"` : 'none'})`, { accept: 'application/json' });
      }
    },
    admitting(endpoint, handler) {
      // Nothing to check before an endpoint that reads no request body: no wrapper, no extra promise per request.
      if (!translatesRequestBody.has(endpoint.id)) return handler;
      return (async (v1: IncomingV1, ...rest: never[]) => {
        this.admit(endpoint.id, v1);
        return handler(v1, ...rest);
      }) as typeof handler;
    },
    finish(v1) {
      releaseRequestMemory(v1);
    },
  };
}
