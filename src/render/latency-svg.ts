import type { CompatReport, LatencySummary, ScenarioResult, TargetName } from '../core/model/report.js';
import { formatMs, formatNumber, formatRatio, truncate } from './format-values.js';
import { html, type SafeHtml } from './html-template.js';
import { exceedsLatencyThreshold, measuredTargets } from './report-queries.js';

/**
 * Latency charts for report.html as inline SVG: no script, no external library, so the file works
 * offline and prints. Colours come from CSS classes (t-v1, t-gateway, ...) defined by the page,
 * which lets the charts follow the page's light or dark scheme. Every chart is labelled for
 * screen readers and is accompanied by a table of the same numbers in the page.
 */

const CHART_WIDTH = 640;
const AXIS_HEIGHT = 24;
const TOP_MARGIN = 8;
/** Strip charts beyond this many dots per target are thinned evenly: the shape survives, the file stays small. */
const MAX_DOTS_PER_TARGET = 600;
const PERCENTILES = ['p50', 'p95', 'p99'] as const;
/** Both latency charts of a scenario share this left margin and their scale, so their axes line up. */
const LATENCY_LEFT = 72;

/** Grouped horizontal bars: for each of p50/p95/p99, one bar per measured target. */
export function percentileChart(scenario: ScenarioResult, idPrefix: string): SafeHtml | undefined {
  const measured = measuredTargets(scenario);
  if (measured.length === 0) return undefined;
  const layout = { left: LATENCY_LEFT, right: 76, bar: 12, barGap: 3, groupGap: 12 };
  const groupHeight = measured.length * (layout.bar + layout.barGap) - layout.barGap;
  const plotHeight = PERCENTILES.length * groupHeight + (PERCENTILES.length - 1) * layout.groupGap;
  const height = TOP_MARGIN + plotHeight + AXIS_HEIGHT;
  const scale = linearScale(latencyDomain(scenario), layout.left, CHART_WIDTH - layout.right);

  const groups = PERCENTILES.map((percentile, groupIndex) => {
    const groupTop = TOP_MARGIN + groupIndex * (groupHeight + layout.groupGap);
    const bars = measured.map(({ target, latency }, barIndex) => {
      const y = groupTop + barIndex * (layout.bar + layout.barGap);
      const width = barWidth(latency[percentile], scale);
      return html`<g class="${targetClass(target)}"><title>${target} ${percentile}: ${formatMs(latency[percentile])}</title><rect class="bar" x="${coord(scale.start)}" y="${coord(y)}" width="${coord(width)}" height="${layout.bar}"></rect><text class="value" x="${coord(scale.start + width + 4)}" y="${coord(y + layout.bar - 2)}">${formatMs(latency[percentile])}</text></g>`;
    });
    return html`<text class="group-label" x="0" y="${coord(groupTop + groupHeight / 2 + 4)}">${percentile}</text>${bars}`;
  });

  const description = measured.map(({ target, latency }) => `${target}: p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, p99 ${formatMs(latency.p99)}`).join('; ');
  return svgFrame(`${idPrefix}-percentiles`, 'percentile-chart', height, `Latency percentiles of ${scenario.name}`, description, html`${axis(scale, TOP_MARGIN + plotHeight)}${groups}`);
}

/** Every sample as a dot on one row per target, with the median marked: shows spread and outliers. */
export function sampleStrip(scenario: ScenarioResult, idPrefix: string): SafeHtml | undefined {
  const measured = measuredTargets(scenario).filter(({ latency }) => latency.values.length > 0);
  if (measured.length === 0) return undefined;
  const layout = { left: LATENCY_LEFT, right: 76, row: 26 };
  const plotHeight = measured.length * layout.row;
  const height = TOP_MARGIN + plotHeight + AXIS_HEIGHT;
  const scale = linearScale(latencyDomain(scenario), layout.left, CHART_WIDTH - layout.right);

  const rows = measured.map(({ target, latency }, rowIndex) => {
    const centre = TOP_MARGIN + rowIndex * layout.row + layout.row / 2;
    const dots = thinEvenly(latency.values, MAX_DOTS_PER_TARGET).map(
      (value, index) => html`<circle class="dot" cx="${coord(scale.at(value))}" cy="${coord(centre + jitter(index))}" r="2.5"></circle>`,
    );
    const median = scale.at(latency.p50);
    return html`<g class="${targetClass(target)}"><title>${target}: ${latency.samples} samples, p50 ${formatMs(latency.p50)}, max ${formatMs(latency.max)}</title><text class="row-label" x="0" y="${coord(centre + 4)}">${target}</text>${dots}<line class="median" x1="${coord(median)}" x2="${coord(median)}" y1="${coord(centre - 10)}" y2="${coord(centre + 10)}"></line></g>`;
  });

  const description = measured.map(({ target, latency }) => `${target}: ${sampleRange(latency)}`).join('; ');
  return svgFrame(`${idPrefix}-samples`, 'strip-chart', height, `Latency samples of ${scenario.name}`, description, html`${axis(scale, TOP_MARGIN + plotHeight)}${rows}`);
}

/** Gateway/v1 latency ratio per endpoint against the run's threshold (dashed line). */
export function latencyRatioChart(report: CompatReport): SafeHtml | undefined {
  const measured = report.endpoints.flatMap((endpoint) => (endpoint.latencyRatio !== undefined && Number.isFinite(endpoint.latencyRatio) ? [{ id: endpoint.id, ratio: endpoint.latencyRatio }] : []));
  if (measured.length === 0) return undefined;
  const threshold = report.summary.performanceThreshold;
  const layout = { left: 200, right: 64, bar: 14, gap: 6 };
  const plotHeight = measured.length * (layout.bar + layout.gap);
  const height = TOP_MARGIN + plotHeight + AXIS_HEIGHT;
  const scale = linearScale(largest([threshold * 1.1, ...measured.map(({ ratio }) => ratio)]), layout.left, CHART_WIDTH - layout.right, formatRatio);

  const bars = measured.map(({ id, ratio }, index) => {
    const y = TOP_MARGIN + index * (layout.bar + layout.gap);
    const width = barWidth(ratio, scale);
    const state = exceedsLatencyThreshold(ratio, report) ? 'over-threshold' : 'within-threshold';
    return html`<g class="${state}"><title>${id}: ${formatRatio(ratio)}</title><text class="row-label" x="0" y="${coord(y + layout.bar - 2)}">${truncate(id, 30)}</text><rect class="bar" x="${coord(scale.start)}" y="${coord(y)}" width="${coord(width)}" height="${layout.bar}"></rect><text class="value" x="${coord(scale.start + width + 4)}" y="${coord(y + layout.bar - 2)}">${formatRatio(ratio)}</text></g>`;
  });
  const thresholdX = scale.at(threshold);
  const thresholdLine = html`<line class="threshold" x1="${coord(thresholdX)}" x2="${coord(thresholdX)}" y1="${TOP_MARGIN}" y2="${coord(TOP_MARGIN + plotHeight)}"><title>threshold ${formatRatio(threshold)}</title></line>`;

  const description = `${measured.map(({ id, ratio }) => `${id}: ${formatRatio(ratio)}`).join('; ')}. Threshold ${formatRatio(threshold)}.`;
  return svgFrame('latency-ratios', 'ratio-chart', height, 'Gateway/v1 latency ratio per endpoint', description, html`${axis(scale, TOP_MARGIN + plotHeight)}${bars}${thresholdLine}`);
}

/** The CSS class that colours a target consistently across charts and legends. */
export function targetClass(target: TargetName): string {
  return `t-${target}`;
}

interface LinearScale {
  start: number;
  end: number;
  ticks: number[];
  at(value: number): number;
  label(value: number): string;
}

/** Maps 0..(a round number at least maxValue) onto the pixel range start..end, with round ticks. */
function linearScale(maxValue: number, start: number, end: number, label: (value: number) => string = formatMs): LinearScale {
  const ticks = roundTicks(maxValue);
  const max = ticks.at(-1) ?? 1;
  const at = (value: number) => start + (Math.min(Math.max(value, 0), max) / max) * (end - start);
  return { start, end, ticks, at, label };
}

/**
 * Three to five ticks from 0, one round step apart (1, 2, 2.5 or 5 times a power of ten), the last
 * at or above `maxValue`: 0/10/20/30 for 25.2 rather than an axis to 50 that wastes half the chart.
 */
export function roundTicks(maxValue: number): number[] {
  const top = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 1;
  const rough = top / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= rough) ?? 10) * magnitude;
  const count = Math.ceil(top / step - 1e-9);
  // Multiplying (not summing) keeps 0.1 × 3 from drifting into 0.30000000000000004 per tick.
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

function axis(scale: LinearScale, y: number): SafeHtml {
  const ticks = scale.ticks.map((tick) => {
    const x = coord(scale.at(tick));
    return html`<line class="grid" x1="${x}" x2="${x}" y1="${TOP_MARGIN}" y2="${coord(y)}"></line><text class="tick" x="${x}" y="${coord(y + 16)}" text-anchor="middle">${scale.label(tick)}</text>`;
  });
  return html`<g class="axis"><line class="baseline" x1="${coord(scale.start)}" x2="${coord(scale.end)}" y1="${coord(y)}" y2="${coord(y)}"></line>${ticks}</g>`;
}

function svgFrame(id: string, kind: string, height: number, title: string, description: string, content: SafeHtml): SafeHtml {
  const h = coord(height);
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart ${kind}" viewBox="0 0 ${CHART_WIDTH} ${h}" width="${CHART_WIDTH}" height="${h}" role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc>${content}</svg>`;
}

/** Bars of non-zero values stay visible even when tiny next to the largest. */
function barWidth(value: number, scale: LinearScale): number {
  const width = scale.at(value) - scale.start;
  return value > 0 ? Math.max(width, 1) : 0;
}

/** Vertical offset of the n-th dot (-6..6 px): deterministic, so the same report draws the same chart. */
function jitter(index: number): number {
  return ((index * 7) % 13) - 6;
}

function thinEvenly(values: number[], limit: number): number[] {
  if (values.length <= limit) return values;
  const stride = values.length / limit;
  return Array.from({ length: limit }, (_, i) => values[Math.floor(i * stride)] ?? 0);
}

function sampleRange(latency: LatencySummary): string {
  const smallest = -largest(latency.values.map((value) => -value));
  return `${latency.values.length} samples from ${formatMs(smallest)} to ${formatMs(largest(latency.values))}`;
}

/** The largest latency either chart of a scenario draws. */
function latencyDomain(scenario: ScenarioResult): number {
  return largest(measuredTargets(scenario).flatMap(({ latency }) => [latency.p50, latency.p95, latency.p99, latency.max, ...latency.values]));
}

/** Math.max without spreading: sample arrays can outgrow the engine's argument limit. */
function largest(values: number[]): number {
  return values.reduce((max, value) => (Number.isFinite(value) && value > max ? value : max), -Infinity);
}

/** SVG coordinates with one decimal: enough for a screen, short in the file. */
function coord(value: number): string {
  return Number.isFinite(value) ? formatNumber(value, 1) : '0';
}
