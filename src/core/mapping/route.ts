/**
 * Routes as mapping files write them: `GET /api/v1/knowledge/{id}`.
 */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type RouteSegment = { kind: 'literal'; text: string } | { kind: 'param'; name: string };

export interface Route {
  method: HttpMethod;
  template: string;
  segments: RouteSegment[];
  params: string[];
}

export class RouteSyntaxError extends Error {}

export function parseRoute(text: string): Route {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(text);
  if (!match) throw new RouteSyntaxError(`"${text}" is not "METHOD /path", e.g. "GET /api/v1/items/{id}"`);
  const method = match[1]!.toUpperCase() as HttpMethod;
  if (!HTTP_METHODS.includes(method)) throw new RouteSyntaxError(`"${match[1]}" is not one of ${HTTP_METHODS.join(', ')}`);
  const template = match[2]!;
  if (template.includes('?') || template.includes('#')) throw new RouteSyntaxError(`"${template}": a route is a path only; map query parameters with steps`);
  const segments: RouteSegment[] = [];
  const params: string[] = [];
  for (const part of template.split('/').slice(1)) {
    const param = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part);
    if (param) {
      if (params.includes(param[1]!)) throw new RouteSyntaxError(`"${template}" uses {${param[1]}} twice`);
      params.push(param[1]!);
      segments.push({ kind: 'param', name: param[1]! });
    } else if (/[{}]/.test(part)) {
      throw new RouteSyntaxError(`"${part}" in "${template}": a parameter fills a whole segment, as in /items/{id}`);
    } else {
      segments.push({ kind: 'literal', text: part });
    }
  }
  return { method, template, segments, params };
}

/** Splits a request path into decoded segments; undefined when the encoding is malformed. */
export function splitPath(path: string): string[] | undefined {
  try {
    return path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** The params of `route` for an already split path, or undefined when it does not match. */
export function matchRoute(route: Route, method: string, segments: readonly string[]): Record<string, string> | undefined {
  if (route.method !== method || route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const routeSegment = route.segments[i]!;
    const segment = segments[i]!;
    if (routeSegment.kind === 'literal') {
      if (routeSegment.text !== segment) return undefined;
    } else {
      if (segment === '') return undefined;
      params[routeSegment.name] = segment;
    }
  }
  return params;
}

/** True when every request `later` matches is already matched by `earlier`. */
export function shadows(earlier: Route, later: Route): boolean {
  if (earlier.method !== later.method || earlier.segments.length !== later.segments.length) return false;
  return earlier.segments.every((segment, i) => {
    const other = later.segments[i]!;
    return segment.kind === 'param' || (other.kind === 'literal' && other.text === segment.text);
  });
}

/** hono's path syntax: `/items/:id`. */
export function toHonoPath(route: Route): string {
  return '/' + route.segments.map((s) => (s.kind === 'literal' ? s.text : `:${s.name}`)).join('/');
}

export class UnsafePathParameter extends Error {
  constructor(
    readonly param: string,
    readonly value: string,
  ) {
    super(`path parameter "${param}" cannot be "${value}": it would change which v2 route is called`);
  }
}

/** A decoded segment an upstream would read as a dot-segment, or as more than one segment. */
function climbsOrSplits(decoded: string): boolean {
  return decoded === '.' || decoded === '..' || /[/\\]/.test(decoded);
}

/**
 * The first segment of a concrete path that would climb or split once an upstream decodes it
 * (`.`, `..`, an encoded `/` or `\`; RFC 3986 section 5.2.4 removes dot-segments), if any. For
 * paths the gateway did not build from a route itself: those a handler sends.
 */
export function climbingSegment(path: string): string | undefined {
  const end = path.search(/[?#]/);
  for (const segment of (end < 0 ? path : path.slice(0, end)).split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // Not valid percent-encoding: an upstream cannot decode it into a dot-segment either.
      continue;
    }
    if (climbsOrSplits(decoded)) return segment;
  }
  return undefined;
}

/**
 * Builds a concrete path from a route and its params. Each value is percent-encoded as one
 * segment (RFC 3986 section 3.3), and values that could climb or split segments once an upstream
 * decodes them (`.`, `..`, `/`, `\`) are refused outright, so a v1 parameter can only ever
 * select a resource, never another v2 route.
 */
export function fillRoute(route: Route, params: Readonly<Record<string, unknown>>): string {
  let path = '';
  for (const segment of route.segments) {
    if (segment.kind === 'literal') {
      path += '/' + segment.text;
      continue;
    }
    const raw = params[segment.name];
    const value = raw === undefined || raw === null ? '' : String(raw);
    if (value === '' || climbsOrSplits(value)) throw new UnsafePathParameter(segment.name, value);
    path += '/' + encodeURIComponent(value);
  }
  return path || '/';
}
