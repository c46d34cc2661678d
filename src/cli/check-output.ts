import { relative } from 'node:path';
import type { ProgressEvent, SuiteTiming } from '../checker/run-suite.js';
import type { CompatReport, ScenarioOutcome, Verdict } from '../core/model/report.js';
import type { WrittenReport } from '../io/write-report.js';
import { directSummary, fixFirst } from '../render/report-queries.js';
import { paint, type CliIo } from './cli-io.js';

const BAR_WIDTH = 24;
const LISTED = 10;

/** A progress bar redrawn in place on a terminal; one plain line per scenario otherwise (CI logs). */
export function progressPrinter(io: CliIo, verbose = false): (event: ProgressEvent) => void {
  const color = paint(io);
  return (event) => {
    if (event.kind === 'note') {
      io.stderr(`note: ${event.message}\n`);
      return;
    }
    if (event.kind === 'timing') {
      if (verbose) io.stderr(timingLines(event.timing, event.durationMs));
      return;
    }
    if (event.kind === 'start') {
      if (!io.isTTY) io.stdout(`running ${event.total} scenario${event.total === 1 ? '' : 's'}\n`);
      return;
    }
    const { done, total, result } = event;
    if (io.isTTY) {
      const filled = Math.round((done / Math.max(1, total)) * BAR_WIDTH);
      const name = result.name.length > 40 ? `${result.name.slice(0, 37)}...` : result.name;
      io.stdout(`\r\u001b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${name}`);
      if (done === total) io.stdout('\r\u001b[2K');
      return;
    }
    io.stdout(`  ${color(OUTCOME_COLOR[result.outcome], result.outcome.padEnd(10))} ${result.name}${result.error ? ` (${result.error})` : ''}\n`);
  };
}

const OUTCOME_COLOR: Record<ScenarioOutcome, number> = { identical: 32, equivalent: 32, different: 31, error: 33 };
const VERDICT_COLOR: Record<Verdict | 'incomplete', number> = { incomplete: 33, ready: 32, 'ready-via-gateway': 32, removed: 36, blocked: 31, untested: 33 };

/**
 * Names a mapping rule by where it sits and what it does (`get-knowledge response step 2 (set)`),
 * from its pointer into the mapping file; undefined when the pointer says nothing more.
 */
export type RuleNamer = (pointer: string) => string | undefined;

export function printSummary(io: CliIo, report: CompatReport, written: WrittenReport | undefined, nameRule: RuleNamer = () => undefined): void {
  const color = paint(io);
  const { summary } = report;
  const lines: string[] = [];
  const counts = Object.entries(summary.scenarios)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  lines.push(
    `${color(1, `suite ${report.suite}`)}${report.partial ? color(33, ' (PARTIAL: interrupted)') : ''}: score ${color(1, summary.score.toFixed(1))}/100, ${color(VERDICT_COLOR[summary.verdict], summary.verdict)}` +
      `${summary.minScore !== undefined ? ` (min score ${summary.minScore})` : ''}`,
    `  scenarios: ${counts || 'none'}; differences: ${summary.differences.unexplained} unexplained, ${summary.differences.explained} explained, ${summary.differences.noise} noise`,
    ...(summary.incomplete ?? []).map((reason) => color(33, `  not ready: ${reason}`)),
    '',
  );
  const idWidth = Math.max(8, ...report.endpoints.map((e) => e.id.length));
  lines.push(`  ${'endpoint'.padEnd(idWidth)}  ${'verdict'.padEnd(17)}  ${'score'.padStart(5)}  ${'ratio'.padStart(5)}  ${'overhead'.padStart(9)}  unexplained`);
  for (const endpoint of report.endpoints) {
    lines.push(
      `  ${endpoint.id.padEnd(idWidth)}  ${color(VERDICT_COLOR[endpoint.verdict], endpoint.verdict.padEnd(17))}  ${endpoint.score.toFixed(1).padStart(5)}  ${(endpoint.latencyRatio?.toFixed(2) ?? '-').padStart(5)}  ${(endpoint.gatewayOverheadMs !== undefined ? `${endpoint.gatewayOverheadMs.toFixed(2)}ms` : '-').padStart(9)}  ${endpoint.unexplained}`,
    );
  }
  for (const endpoint of report.endpoints) for (const warning of endpoint.warnings ?? []) lines.push(color(33, `  warning: ${endpoint.id}: ${warning}`));
  if (report.untested.length) lines.push('', `untested endpoints: ${report.untested.join(', ')}`);
  const unexercised = report.unexercisedRules ?? [];
  if (unexercised.length) {
    const more = unexercised.length > LISTED ? ` (and ${unexercised.length - LISTED} more in report.json)` : '';
    lines.push(`mapping rules no scenario exercised: ${unexercised.slice(0, LISTED).map((pointer) => nameRule(pointer) ?? pointer).join(', ')}${more}`);
  }
  const direct = directSummary(report);
  if (direct) lines.push('', `straight to v2 (--direct): ${direct.passing} of ${direct.total} scenarios answered like v1 without the gateway`);
  const fixes = fixFirst(report);
  if (fixes.length) {
    lines.push('', color(31, 'what to fix first:'));
    fixes.forEach((item, index) => lines.push(`  ${index + 1}. ${item.title}`, `     ${item.detail}`));
  }
  const errors = report.scenarios.filter((s) => s.outcome === 'error');
  if (errors.length) {
    lines.push('', color(33, `scenarios that could not be judged (${errors.length}):`));
    for (const scenario of errors.slice(0, LISTED)) lines.push(`  "${scenario.name}": ${scenario.error}`);
  }
  if (written) {
    lines.push('', 'reports:');
    for (const file of written.files) lines.push(`  ${displayPath(io, file)}`);
    lines.push(`  latest: ${displayPath(io, written.latest)}`);
  }
  io.stdout(lines.join('\n') + '\n');
}

const SLOWEST = 5;

/** Where the time went: resets, each target, the floor, and the slowest scenarios. */
function timingLines(timing: SuiteTiming, durationMs: number): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const share = (ms: number) => (durationMs > 0 ? ` (${Math.round((100 * ms) / durationMs)} %)` : '');
  const parts = [
    `resets ${seconds(timing.reset)}${share(timing.reset)} for ${timing.resets} hook run${timing.resets === 1 ? '' : 's'}`,
    `v1 ${seconds(timing.v1)}${share(timing.v1)}`,
    `gateway ${seconds(timing.gateway)}${share(timing.gateway)}`,
    `v2 floor ${seconds(timing.floor)}${share(timing.floor)}`,
    ...(timing.direct ? [`direct ${seconds(timing.direct)}${share(timing.direct)}`] : []),
  ];
  const total = (entry: SuiteTiming['scenarios'][number]) => entry.reset + entry.v1 + entry.gateway + entry.direct + entry.floor;
  const slowest = [...timing.scenarios].sort((a, b) => total(b) - total(a)).slice(0, SLOWEST);
  return [
    `time: ${seconds(durationMs)} in all; ${parts.join(', ')}`,
    ...slowest.map((entry) => `  ${seconds(total(entry)).padStart(8)}  ${entry.name} (resets ${seconds(entry.reset)}, ${entry.resets} hook runs)`),
    '',
  ].join('\n');
}

function displayPath(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
