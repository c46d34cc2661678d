/** Markdown pieces shared by the benchmarks' reports. */

export interface TargetCheck {
  target: string;
  measured: string;
  /** undefined when the comparison could not be made (e.g. nginx not installed). */
  holds: boolean | undefined;
}

export function checksTable(checks: readonly TargetCheck[]): string {
  const verdict = (holds: boolean | undefined) => (holds === undefined ? 'skipped' : holds ? 'holds' : 'misses');
  return ['| target | measured | verdict |', '|---|--:|---|', ...checks.map((check) => `| ${check.target} | ${check.measured} | ${verdict(check.holds)} |`)].join('\n');
}

/** `1234.5` -> `1,235`; NaN -> `-`. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';
}

export function formatFixed(value: number, digits: number, suffix = ''): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)}${suffix}` : '-';
}
