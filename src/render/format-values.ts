/**
 * How numbers and compared values read in every report format. Fixed-point formatting on purpose:
 * `toLocaleString` would make the output depend on the machine that renders it.
 */

/** Shown where a number or value does not exist (no latency measured, field absent). */
export const NOT_AVAILABLE = '—';
/** Shown for a compared value that is missing on one side (`v1` or `actual` undefined). */
export const ABSENT_VALUE = '(absent)';

/**
 * A compared value as JSON, so `"1"` and `1` stay distinguishable; `undefined` is the absent side.
 * `indent` pretty-prints objects for the HTML report.
 */
export function formatValue(value: unknown, indent?: number): string {
  if (value === undefined) return ABSENT_VALUE;
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    // Reports are parsed JSON, but a checker bug could hand over a cycle or a bigint: still render.
    return String(value);
  }
}

/** Cuts to `max` characters (whole code points, so emoji are never split) and marks the cut. */
export function truncate(text: string, max: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return `${codePoints.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** At most `digits` decimals, without trailing zeros: 87, 87.5, 0.25. */
export function formatNumber(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  const fixed = value.toFixed(digits);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

export function formatScore(score: number): string {
  return formatNumber(score, 1);
}

export function formatMs(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? NOT_AVAILABLE : `${formatNumber(ms, 1)} ms`;
}

/** A run's duration: milliseconds below a second, seconds above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return NOT_AVAILABLE;
  return ms < 1000 ? formatMs(ms) : `${formatNumber(ms / 1000, 1)} s`;
}

/** A gateway/v1 latency ratio such as `1.42×`. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? NOT_AVAILABLE : `${formatNumber(ratio, 2)}×`;
}

/** `1 difference`, `3 differences`: counts read as sentences. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
