import { connect } from 'node:net';
import type { CircuitState } from '../upstream/circuit-breaker.js';

/**
 * Whether v2 can be reached, for /readyz: a TCP connection to the upstream's host and port,
 * remembered for `cacheMs` so that probes from every balancer do not each open one. A gateway
 * that cannot reach v2 answers 502 to every translated request; taking it out of rotation lets
 * the balancer send traffic to a copy that can.
 */
export function upstreamReadiness(currentUrl: () => string, options: { timeoutMs?: number; cacheMs?: number } = {}): () => Promise<{ ready: boolean; reason?: string }> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const cacheMs = options.cacheMs ?? 1_000;
  let last: { at: number; url: string; result: { ready: boolean; reason?: string } } | undefined;
  let pending: Promise<{ ready: boolean; reason?: string }> | undefined;
  return () => {
    const url = currentUrl();
    if (last && last.url === url && performance.now() - last.at < cacheMs) return Promise.resolve(last.result);
    pending ??= probe(url, timeoutMs).then((result) => {
      last = { at: performance.now(), url, result };
      pending = undefined;
      return result;
    });
    return pending;
  };
}

function probe(url: string, timeoutMs: number): Promise<{ ready: boolean; reason?: string }> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (result: { ready: boolean; reason?: string }) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done({ ready: true }));
    // The reason names no host: /readyz may be reachable by more people than the logs.
    socket.once('timeout', () => done({ ready: false, reason: 'upstream not reachable (connect timeout)' }));
    socket.once('error', (error: Error & { code?: string }) => done({ ready: false, reason: `upstream not reachable (${error.code ?? 'error'})` }));
  });
}

/**
 * Readiness that also fails while v2's circuit breaker is open: the copy then answers every
 * translated request 503, and a balancer does better sending the traffic to a copy whose
 * circuit is closed. Half-open counts as ready, so traffic comes back to carry the probe.
 */
export function circuitAwareReadiness(check: () => Promise<{ ready: boolean; reason?: string }>, circuit: () => CircuitState): () => Promise<{ ready: boolean; reason?: string }> {
  return () => (circuit() === 'open' ? Promise.resolve({ ready: false, reason: 'upstream circuit open (it kept failing)' }) : check());
}
