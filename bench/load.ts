import autocannon from 'autocannon';
import { Pool } from 'undici';
import { percentile } from './statistics.js';

/*
 * The two ways the bench loads a server. Latencies are kept as exact floats in milliseconds:
 * autocannon's own histogram records whole milliseconds, too coarse for sub-millisecond
 * differences between proxies.
 */

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport errors, timeouts and non-2xx answers: any of them makes the run suspect. */
  failures: number;
}

/**
 * Closed loop at fixed concurrency (autocannon): each connection sends its next request as
 * soon as the previous answer arrives. Gives the throughput a server sustains. autocannon
 * stops on its one-second tick, so runs last whole seconds.
 */
export async function loadAtConcurrency(url: string, options: { connections: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({ url, connections: options.connections, duration: options.seconds, pipelining: 1 });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  return {
    requests: latencies.length,
    seconds: result.duration,
    requestsPerSecond: latencies.length / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Open loop at a fixed offered rate: requests leave on schedule whether or not earlier ones have
 * been answered (no coordinated omission), so a server's stall shows in every request it delays.
 * The first `warmup` answers are not counted (connections are being opened).
 */
export async function loadAtRate(url: string, options: { rate: number; requests: number; warmup?: number }): Promise<LoadResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 64, pipelining: 1 });
  const path = target.pathname + target.search;
  const warmup = options.warmup ?? Math.ceil(options.rate / 10);
  const total = options.requests + warmup;
  const latencies: number[] = [];
  let failures = 0;
  let answered = 0;
  const intervalMs = 1000 / options.rate;
  const started = performance.now();
  try {
    await new Promise<void>((resolve) => {
      let sent = 0;
      const send = (index: number) => {
        const leftAt = performance.now();
        pool
          .request({ method: 'GET', path })
          .then(async (response) => {
            await response.body.arrayBuffer();
            if (response.statusCode < 200 || response.statusCode >= 300) failures++;
            else if (index >= warmup) latencies.push(performance.now() - leftAt);
          })
          .catch(() => failures++)
          .finally(() => {
            if (++answered === total) resolve();
          });
      };
      const tick = () => {
        const now = performance.now();
        while (sent < total && started + sent * intervalMs <= now) send(sent++);
        if (sent < total) setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
      };
      tick();
    });
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: answered / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures,
  };
}

/**
 * Warms a server up for `seconds` at full load over `connections` connections, closed loop
 * (JIT, connection pools, and a young generation sized for the load that follows), without
 * the one-second granularity of an autocannon run.
 */
export async function warmUp(url: string, options: { connections: number; seconds: number }): Promise<void> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const path = target.pathname + target.search;
  const until = performance.now() + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const response = await pool.request({ method: 'GET', path });
      await response.body.arrayBuffer();
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    await pool.close();
  }
}
