import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CompatReport } from '../../core/model/report.js';
import { REPORT_RENDERERS } from '../../io/report-renderers.js';
import { validateAgainstSchema } from '../../io/schema-validation.js';
import { writeReport, type ReportFormat, type WrittenReport } from '../../io/write-report.js';
import { EXTRA_FORMATS, parseFormats } from './check.js';
import { printSummary } from '../check-output.js';
import { firstLine, inputError, runtimeError } from '../cli-error.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { parsePositiveInteger, parseScore, parseUrlOption } from '../options.js';

export interface ShadowReportOptions {
  admin: string;
  adminToken?: string;
  out: string;
  format: ReportFormat[];
  minScore?: number;
  timeout: number;
}

export function registerShadowReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('shadow-report')
    .description("write a running gateway's shadow comparisons as a checker report (report.json, md, html, junit)")
    .requiredOption('--admin <url>', "the gateway's admin port, e.g. http://127.0.0.1:9090", parseUrlOption)
    .addOption(new Option('--admin-token <token>', 'the bearer token the gateway was started with (--admin-token of serve)').env('API_COMPAT_ADMIN_TOKEN'))
    .option('--out <dir>', 'reports folder: <dir>/shadow-<mapping name>/<UTC timestamp>/ and .../latest/', 'compat-reports')
    .option('--format <list>', `report files besides report.json, which is always written: ${EXTRA_FORMATS.join(',')}`, parseFormats, [...EXTRA_FORMATS])
    .option('--min-score <n>', 'exit 1 when the overall score is under n (0 to 100)', parseScore)
    .option('--timeout <ms>', 'how long to wait for the admin port to answer', parsePositiveInteger, 10_000)
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  api-compat shadow-report --admin http://127.0.0.1:9090 --admin-token "$API_COMPAT_ADMIN_TOKEN"',
        '',
        'Exit codes: 0 every shadowed endpoint ready-via-gateway (and the score at least --min-score); 1 an',
        'endpoint is blocked (a mismatch, an error-rate rise), the verdict is incomplete (a shadowed endpoint',
        'saw no traffic yet) or the score is under --min-score; 2 the token is refused, the gateway shadows',
        'no endpoint, or the URL is no api-compat admin port; 3 the admin port does not answer, or the report',
        'cannot be written.',
      ].join('\n'),
    )
    .action(async (options: ShadowReportOptions) => setExit(await shadowReportCommand(options, io)));
}

export async function shadowReportCommand(options: ShadowReportOptions, io: CliIo): Promise<number> {
  const report = await fetchShadowReport(options);
  let written: WrittenReport;
  try {
    written = await writeReport(report, { outDir: resolve(io.cwd, options.out), formats: options.format, renderers: REPORT_RENDERERS });
  } catch (error) {
    throw runtimeError(`could not write the report to ${options.out} (${firstLine(error)})`, error, 'check that the folder is writable');
  }
  printSummary(io, report, written);
  const underMinimum = options.minScore !== undefined && report.summary.score < options.minScore;
  return underMinimum || report.summary.verdict === 'blocked' || report.summary.verdict === 'incomplete' ? EXIT.findings : EXIT.ok;
}

async function fetchShadowReport(options: ShadowReportOptions): Promise<CompatReport> {
  const url = new URL('shadow/report', options.admin.endsWith('/') ? options.admin : `${options.admin}/`).href;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...(options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {}) }, signal: AbortSignal.timeout(options.timeout) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    if (cause === 'TimeoutError') throw runtimeError(`the admin port ${options.admin} did not answer within ${options.timeout} ms`, error, 'check that the gateway is running and not overloaded, or raise --timeout');
    throw runtimeError(`nothing answers at ${options.admin} (${cause})`, error, 'start the gateway with --admin-port, or correct --admin');
  }
  const text = await response.text();
  const problem = parseJson(text) as { code?: unknown; detail?: unknown } | undefined;
  if (response.status === 401) {
    throw options.adminToken
      ? inputError(`the admin port ${options.admin} refused the token (401)`, 'pass the token the gateway was started with (--admin-token or API_COMPAT_ADMIN_TOKEN)')
      : inputError(`the admin port ${options.admin} needs a bearer token (401)`, 'pass --admin-token with the token the gateway was started with, or set API_COMPAT_ADMIN_TOKEN');
  }
  if (response.status === 404 && problem?.code === 'nothing-shadowed') throw inputError(`the gateway at ${options.admin} shadows no endpoint, so there is nothing to report`, 'set mode: shadow on the endpoints to compare in the mapping (the gateway reloads it)');
  if (response.status === 404) throw inputError(`${url} is not found (404)`, 'point --admin at the admin port of api-compat serve (--admin-port), not its traffic port');
  if (!response.ok) throw runtimeError(`the admin port ${options.admin} answered ${response.status}${typeof problem?.detail === 'string' ? `: ${problem.detail}` : ''}`, undefined, 'see the gateway log');
  const problems = problem === undefined ? [{ pointer: '', message: 'the answer is not JSON' }] : validateAgainstSchema('report', problem);
  if (problems.length) {
    const first = problems[0]!;
    throw inputError(`${url} did not answer with a report (${first.pointer || '/'}: ${first.message})`, 'point --admin at the admin port of an api-compat serve of the same version');
  }
  return problem as unknown as CompatReport;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
