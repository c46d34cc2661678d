import { build } from 'hdr-histogram-js';
import type { LatencySummary } from '../core/model/report.js';

/** Microsecond resolution, three significant digits: 1.234 ms is told apart from 1.235 ms. */
const MICROS_PER_MS = 1000;

/**
 * p50/p95/p99/max of latency samples (milliseconds) from an HDR histogram, which keeps
 * percentiles exact to the configured precision however skewed the distribution.
 * http://hdrhistogram.org/
 */
export function summarizeLatency(values: readonly number[]): LatencySummary | undefined {
  if (values.length === 0) return undefined;
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000 * MICROS_PER_MS, numberOfSignificantValueDigits: 3 });
  try {
    for (const value of values) histogram.recordValue(Math.max(1, Math.round(value * MICROS_PER_MS)));
    const at = (percentile: number) => round(histogram.getValueAtPercentile(percentile) / MICROS_PER_MS);
    return { samples: values.length, p50: at(50), p95: at(95), p99: at(99), max: round(histogram.maxValue / MICROS_PER_MS), values: values.map(round) };
  } finally {
    histogram.destroy();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
