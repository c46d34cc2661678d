/**
 * What the gateway reports about each request; the admin server turns it into Prometheus
 * metrics. Kept as an interface so the gateway does not depend on a metrics library.
 */
export interface ExchangeObservation {
  /** Endpoint id, `legacy` for passthrough to the old API, `unmatched` for 404s. */
  endpoint: string;
  client: string;
  status: number;
  seconds: number;
  /** Set when the gateway answered with a problem instead of a translated response. */
  problem?: string;
  /** The failure behind `problem`, for logs (it may name internal hosts; clients never see that). */
  failure?: unknown;
  requestId?: string;
  method?: string;
  path?: string;
  /** The query string as received, `?` included; loggers redact it. */
  search?: string;
  /** Calls made upstream (v2 or legacy) for this answer: 0 when the gateway answered alone. */
  upstreamCalls?: number;
}

export interface GatewayObserver {
  exchange(observation: ExchangeObservation): void;
  /** One shadow comparison finished (or was dropped). */
  shadow?(endpoint: string, result: 'match' | 'mismatch' | 'error' | 'dropped'): void;
}

export const silentObserver: GatewayObserver = { exchange: () => {} };
