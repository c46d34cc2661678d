import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { runSuite, TargetsUnreachable, type SuiteRunOptions } from '../checker/run-suite.js';
import { TargetConfigurationError } from '../checker/targets.js';
import type { CompatReport } from '../core/model/report.js';
import { withBreakingChanges, type EndpointBreakingChanges } from '../core/scoring/breaking-changes.js';
import type { LoadedMapping } from '../io/load-mapping.js';
import type { LoadedSuite } from '../io/load-scenario.js';
import { REPORT_RENDERERS } from '../io/report-renderers.js';
import { writeReport, type ReportFormat, type WrittenReport } from '../io/write-report.js';
import { EXIT, type CliIo } from './cli-io.js';
import { valueAt } from '../core/mapping/rule-inventory.js';
import { printSummary, progressPrinter, type RuleNamer } from './check-output.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The run settings a check passes straight to the suite runner. */
type RunSettings = Pick<SuiteRunOptions, 'repeat' | 'warmup' | 'concurrency' | 'timeoutMs' | 'performanceThreshold' | 'latencyAllowanceMs' | 'minScore' | 'allowUntested'>;

export interface CheckRequest extends RunSettings {
  suite: LoadedSuite;
  mapping: LoadedMapping;
  v1Url: string;
  v2Url?: string;
  gatewayUrl?: string;
  direct: boolean;
  tags: string[];
  outDir: string;
  formats: ReportFormat[];
  /** Print where the time went. */
  verbose?: boolean;
  /** With both OpenAPI documents: the breaking changes per endpoint, scored and listed in the reports. */
  breakingChanges?: ReadonlyMap<string, EndpointBreakingChanges>;
}

export interface CheckResult {
  exitCode: number;
  report?: CompatReport;
  written?: WrittenReport;
}

/**
 * Runs a loaded suite, writes the reports, prints the summary and decides the exit code:
 * 3 when interrupted (a partial report is still written) or the run could not start (a target
 * that does not answer: nothing written), 1 when an endpoint is blocked, the verdict is
 * incomplete or the score is under --min-score, 0 otherwise.
 */
export async function executeCheck(request: CheckRequest, io: CliIo): Promise<CheckResult> {
  let report: CompatReport;
  try {
    report = await runSuite({
      suite: request.suite.suite,
      table: request.mapping.table,
      mappingDocument: request.mapping.document,
      mappingLabel: displayPath(io, request.mapping.file),
      targets: { v1Url: request.v1Url, v2Url: request.v2Url, gatewayUrl: request.gatewayUrl, direct: request.direct, cwd: dirname(request.suite.file), env: io.env },
      repeat: request.repeat,
      warmup: request.warmup,
      concurrency: request.concurrency,
      timeoutMs: request.timeoutMs,
      performanceThreshold: request.performanceThreshold,
      latencyAllowanceMs: request.latencyAllowanceMs,
      minScore: request.minScore,
      allowUntested: request.allowUntested,
      tags: request.tags,
      stop: io.stop,
      tool: { version },
      onProgress: progressPrinter(io, request.verbose ?? false),
    });
  } catch (error) {
    if (error instanceof TargetConfigurationError) {
      io.stderr(`api-compat check: ${error.message}\n`);
      return { exitCode: EXIT.badInput };
    }
    if (error instanceof TargetsUnreachable) {
      const lines = error.failures.map((failure) => `  ${failure}\n`).join('');
      io.stderr(`api-compat check: nothing answers before the first scenario, so no scenario ran and no report was written:\n${lines}`);
      return { exitCode: EXIT.runtimeFailure };
    }
    io.stderr(`api-compat check: the run could not start: ${(error as Error).message}\n`);
    return { exitCode: EXIT.runtimeFailure };
  }
  if (request.breakingChanges) report = withBreakingChanges(report, request.breakingChanges);
  if (request.tags.length && report.scenarios.length === 0 && !report.partial) {
    io.stderr(`api-compat check: no scenario has any of the tags ${request.tags.join(', ')}\n`);
    return { exitCode: EXIT.badInput, report };
  }
  let written: WrittenReport | undefined;
  try {
    written = await writeReport(report, { outDir: resolve(io.cwd, request.outDir), formats: request.formats, renderers: REPORT_RENDERERS });
  } catch (error) {
    printSummary(io, report, undefined, ruleNamer(request.mapping));
    io.stderr(`api-compat check: could not write the reports to ${request.outDir}: ${(error as Error).message}\n`);
    return { exitCode: EXIT.runtimeFailure, report };
  }
  printSummary(io, report, written, ruleNamer(request.mapping));
  if (report.partial) {
    io.stderr('api-compat check: interrupted; the report holds the scenarios that finished and is marked partial\n');
    return { exitCode: EXIT.runtimeFailure, report, written };
  }
  const underMinimum = request.minScore !== undefined && report.summary.score < request.minScore;
  // Incomplete (a tag subset, untested endpoints) is not a pass: nothing said the whole API is ready.
  const failed = underMinimum || report.summary.verdict === 'blocked' || report.summary.verdict === 'incomplete';
  return { exitCode: failed ? EXIT.findings : EXIT.ok, report, written };
}

/** `/endpoints/3/response/1` -> `get-knowledge response step 1 (set)`; resources and error rules likewise. */
function ruleNamer(mapping: LoadedMapping): RuleNamer {
  return (pointer) => {
    const parts = pointer.split('/').slice(1);
    const step = valueAt(mapping.document, pointer);
    const op = step && typeof step === 'object' && !Array.isArray(step) ? Object.keys(step).find((key) => key !== 'description' && key !== 'when') : undefined;
    const what = op ? ` (${op})` : '';
    if (parts[0] === 'endpoints') {
      const id = mapping.table.endpoints[Number(parts[1])]?.id ?? parts[1];
      return `${id} ${parts.slice(2).join(' ')}${what}`.replace(/ (\d+)(?= |\(|$)/g, ' step $1');
    }
    if (parts[0] === 'errors') return `error rule ${parts[1]} ${`${parts.slice(2).join(' ')}${what}`.replace(/(^| )(\d+)(?= |\(|$)/g, '$1step $2')}`;
    if (parts[0] === 'resources') return `resource ${parts[1]} rule ${parts[2]}${what}`;
    return undefined;
  };
}

function displayPath(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
