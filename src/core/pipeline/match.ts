import type { CompiledEndpoint, CompiledTable } from '../mapping/compiled.js';
import { matchRoute, splitPath } from '../mapping/route.js';

export interface EndpointMatch {
  endpoint: CompiledEndpoint;
  params: Record<string, string>;
}

/**
 * The endpoint a v1 request belongs to, in table order (the order the gateway registers routes,
 * and the compiler rejects shadowed routes, so order only ever matters for the author's intent).
 */
export function matchEndpoint(table: CompiledTable, method: string, path: string): EndpointMatch | undefined {
  const segments = splitPath(path);
  if (!segments) return undefined;
  const upper = method.toUpperCase();
  for (const endpoint of table.endpoints) {
    const params = matchRoute(endpoint.v1, upper, segments) ?? (upper === 'HEAD' ? matchRoute(endpoint.v1, 'GET', segments) : undefined);
    if (params) return { endpoint, params };
  }
  return undefined;
}
