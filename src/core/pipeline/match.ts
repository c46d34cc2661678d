import type { CompiledEndpoint, CompiledTable } from '../mapping/compiled.js';
import { matchRoute, splitPath } from '../mapping/route.js';
import { newContext, type RequestView } from '../model/exchange-context.js';
import type { HttpMessage } from '../model/http-message.js';

export interface EndpointMatch {
  endpoint: CompiledEndpoint;
  params: Record<string, string>;
}

/**
 * The endpoint a v1 request belongs to, in table order (the order the gateway registers routes,
 * and the compiler rejects shadowed routes, so order only ever matters for the author's intent).
 * Route variants (`when:`) are told apart by the request's query and headers; without them
 * (a static check of a path), the first variant of the route stands for all.
 */
export function matchEndpoint(table: CompiledTable, method: string, path: string, request?: Pick<HttpMessage, 'query' | 'headers'> & Partial<HttpMessage>): EndpointMatch | undefined {
  const segments = splitPath(path);
  if (!segments) return undefined;
  const upper = method.toUpperCase();
  for (const endpoint of table.endpoints) {
    const params = matchRoute(endpoint.v1, upper, segments) ?? (upper === 'HEAD' ? matchRoute(endpoint.v1, 'GET', segments) : undefined);
    if (!params) continue;
    if (endpoint.when && request && !variantHolds(endpoint, { method: upper, path, params, query: request.query, headers: request.headers, body: request.body })) continue;
    return { endpoint, params };
  }
  return undefined;
}

/** Whether a route variant serves this v1 request: `query.x` and `request.query.x` read the same. */
export function variantHolds(endpoint: CompiledEndpoint, request: Omit<HttpMessage, 'status'>): boolean {
  if (!endpoint.when) return true;
  const view: RequestView = { ...request, status: 0, url: request.path };
  return endpoint.when.test(view, newContext(endpoint.id, view));
}
