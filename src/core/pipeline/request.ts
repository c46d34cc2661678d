import { CompatError, TransformError } from '../errors.js';
import type { CompiledEndpoint } from '../mapping/compiled.js';
import { fillRoute, UnsafePathParameter, type Route } from '../mapping/route.js';
import type { ExchangeContext } from '../model/exchange-context.js';
import type { HttpMessage } from '../model/http-message.js';
import { runSteps, type TraceEntry } from './trace.js';

/**
 * v1 request -> v2 request for a mapped endpoint: the unmapped-query and header policies, the
 * request steps, then the v2 method and path. The message is changed in place.
 */
export function translateRequest(endpoint: CompiledEndpoint, request: HttpMessage, trace?: TraceEntry[], context?: ExchangeContext): HttpMessage {
  const route = endpoint.v2;
  if (!route) throw new Error(`endpoint ${endpoint.id} has no v2 route`);
  applyUnmappedQueryPolicy(endpoint, request);
  // The v2 request starts with only the client headers the policy forwards; whatever a step then
  // writes (`headers.authorization` from `request.headers.authorization`) is the mapping's word.
  endpoint.upstreamHeaders.strip(request.headers);
  let message: HttpMessage;
  try {
    message = runSteps(endpoint.request, request, 'request', trace, context) as HttpMessage;
  } catch (error) {
    throw asTranslationError(error, 'request-not-translatable', endpoint.id);
  }
  // Parameters only later stages read (`request.query.x`: a filter, a sort, paging the gateway
  // does itself) are the gateway's to implement; v2 never receives them.
  for (const key of endpoint.consumedQuery) delete message.query[key];
  message.method = route.method;
  message.path = buildPath(route, message.params);
  return message;
}

export function buildPath(route: Route, params: Record<string, unknown>): string {
  try {
    return fillRoute(route, params);
  } catch (error) {
    if (error instanceof UnsafePathParameter) {
      throw new CompatError('invalid-path-parameter', error.message, { parameter: error.param });
    }
    throw error;
  }
}

function applyUnmappedQueryPolicy(endpoint: CompiledEndpoint, request: HttpMessage): void {
  if (endpoint.unmappedQuery === 'pass') return;
  for (const key of Object.keys(request.query)) {
    if (endpoint.mappedQuery.has(key)) continue;
    if (endpoint.unmappedQuery === 'drop') delete request.query[key];
    else {
      const known = [...endpoint.mappedQuery];
      throw new CompatError(
        'unknown-query-parameter',
        `query parameter "${key}" is not supported by ${endpoint.v1.method} ${endpoint.v1.template}${known.length ? `; supported: ${known.join(', ')}` : ''}`,
        { parameter: key },
      );
    }
  }
}

/** Op failures become the problem the client sees; anything else is a bug and stays one. */
export function asTranslationError(error: unknown, code: 'request-not-translatable' | 'response-not-translatable', endpointId: string): unknown {
  if (error instanceof CompatError) return error;
  if (error instanceof TransformError) return new CompatError(code, error.message, { endpoint: endpointId, path: error.path }, { cause: error });
  if (error instanceof Error) return new CompatError(code, `a step of endpoint "${endpointId}" failed: ${error.message}`, { endpoint: endpointId }, { cause: error });
  return error;
}
