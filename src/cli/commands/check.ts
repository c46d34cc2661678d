import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CHECK_DEFAULTS } from '../../checker/run-suite.js';
import { checkSuiteAgainstMapping, loadSuiteSource, type LoadedSuite } from '../../io/load-scenario.js';
import { REPORT_FORMATS, type ReportFormat } from '../../io/write-report.js';
import { formatDiagnostic, readYamlSource, SourceLoadError } from '../../io/yaml-source.js';
import { displayPath, inputError } from '../cli-error.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { executeCheck } from '../check-run.js';
import { loadMappingForCommand, requireFile } from '../load-or-report.js';
import { breakingChangesByEndpoint } from '../spec-findings.js';
import { loadSpecPair } from '../spec-inputs.js';
import { parseCount, parseNonNegativeNumber, parsePositiveInteger, parsePositiveNumber, parseScore, parseUrlOption } from '../options.js';

export interface CheckOptions {
  suite: string;
  mapping?: string;
  v1: string;
  v2?: string;
  gateway?: string;
  direct?: boolean;
  repeat?: number;
  warmup?: number;
  concurrency?: number;
  timeout: number;
  out: string;
  minScore?: number;
  format: ReportFormat[];
  tag: string[];
  performanceThreshold?: number;
  latencyAllowance?: number;
  allowUntested?: boolean;
  verbose?: boolean;
  v1Spec?: string;
  v2Spec?: string;
}

export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('run a scenario suite against real v1 and through the gateway; compare, time and score migration readiness')
    .requiredOption('--suite <file>', 'scenario suite (YAML or JSON)')
    .option('--mapping <file>', "mapping file (default: the suite's mapping:)")
    .requiredOption('--v1 <url>', 'base URL of the real v1 API', parseUrlOption)
    .option('--v2 <url>', 'base URL of v2: with --mapping and no --gateway, the gateway runs in-process in front of it', parseUrlOption)
    .option('--gateway <url>', 'base URL of a running gateway', parseUrlOption)
    .option('--direct', 'also send the v1 requests unchanged to --v2, to show what breaks for a client that only switches its base URL')
    .option('--repeat <n>', `measured rounds per scenario (default: the suite's repeat, else ${CHECK_DEFAULTS.repeat})`, parsePositiveInteger)
    .option('--warmup <n>', `unmeasured rounds first (default ${CHECK_DEFAULTS.warmup})`, parseCount)
    .option('--concurrency <n>', `scenarios in flight at once; resetting scenarios always run alone (default ${CHECK_DEFAULTS.concurrency})`, parsePositiveInteger)
    .option('--timeout <ms>', 'per-request timeout; a target slower than this marks the scenario error', parsePositiveInteger, CHECK_DEFAULTS.timeoutMs)
    .option('--out <dir>', 'reports folder: <dir>/<suite>/<UTC timestamp>/ and <dir>/<suite>/latest/', 'compat-reports')
    .option('--min-score <n>', 'exit 1 when the overall score is under n (0 to 100)', parseScore)
    .option('--format <list>', `report files besides report.json, which is always written: ${EXTRA_FORMATS.join(',')}`, parseFormats, [...EXTRA_FORMATS])
    .option('--verbose', 'print where the time went: resets, each target, the v2 floor, the slowest scenarios')
    .option('--allow-untested', 'let a run whose scenarios leave some mapping endpoints untested still be ready')
    .option('--tag <tag>', 'run only scenarios with this tag (repeatable, or comma-separated)', collectTags, [])
    .option('--performance-threshold <ratio>', `largest acceptable gateway/v1 p50 ratio (default ${CHECK_DEFAULTS.performanceThreshold})`, parsePositiveNumber)
    .option('--latency-allowance <ms>', `milliseconds the gateway may add before the ratio is judged (default ${CHECK_DEFAULTS.latencyAllowanceMs})`, parseNonNegativeNumber)
    .option('--v1-spec <file>', 'with --v2-spec: score and list the breaking changes between the OpenAPI documents that the mapping does not cover')
    .option('--v2-spec <file>', 'the v2 OpenAPI document (with --v1-spec)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  api-compat check --suite scenarios/knowledge.yaml --v1 http://127.0.0.1:4001 --v2 http://127.0.0.1:4002',
        '  api-compat check --suite scenarios/knowledge.yaml --v1 $V1 --gateway $GATEWAY --v2 $V2 --direct --min-score 90',
        '  npm run demo:check        (the bundled example, end to end)',
        '',
        'Exit codes: 0 every endpoint ready, ready-via-gateway or removed (and the score at least',
        '--min-score); 1 an endpoint is blocked, the verdict is incomplete (--tag, or untested endpoints',
        'without --allow-untested) or the score is under --min-score; 2 bad input (suite, mapping or',
        'options); 3 runtime failure: a target that does not answer before the first scenario (no report',
        'is written), or interrupted (Ctrl-C: a partial report is still written).',
      ].join('\n'),
    )
    .action(async (options: CheckOptions) => setExit(await checkCommand(options, io)));
}

export async function checkCommand(options: CheckOptions, io: CliIo): Promise<number> {
  let suite: LoadedSuite;
  await requireFile(options.suite, `--suite ${options.suite}`, io);
  try {
    suite = loadSuiteSource(await readYamlSource(resolve(io.cwd, options.suite), options.suite), { env: io.env });
  } catch (error) {
    if (!(error instanceof SourceLoadError)) throw error;
    io.stderr(error.message + '\n');
    return EXIT.badInput;
  }
  for (const warning of suite.diagnostics) io.stderr(formatDiagnostic(warning) + '\n');
  if (!options.mapping && !suite.mappingFile) throw inputError(`${options.suite} names no mapping`, `pass --mapping FILE, or add "mapping: ../mappings/<name>.yaml" to ${options.suite}`);
  const mapping = options.mapping
    ? await loadMappingForCommand(options.mapping, io)
    : await loadMappingForCommand(displayPath(io, suite.mappingFile!), io, `the mapping ${suite.document.mapping} named by ${options.suite} (${displayPath(io, suite.mappingFile!)})`);
  if (!mapping) return EXIT.badInput;
  for (const warning of checkSuiteAgainstMapping(suite, mapping.table)) io.stderr(formatDiagnostic(warning) + '\n');
  if (!options.v1Spec !== !options.v2Spec) {
    io.stderr('api-compat check: give both --v1-spec and --v2-spec, or neither\n');
    return EXIT.badInput;
  }
  const specs = options.v1Spec && options.v2Spec ? await loadSpecPair(options.v1Spec, options.v2Spec, io) : undefined;
  if (options.v1Spec && !specs) return EXIT.badInput;
  const breakingChanges = specs ? await breakingChangesByEndpoint(mapping.table, mapping.document, specs.v1, specs.v2) : undefined;
  const { exitCode } = await executeCheck(
    {
      suite,
      mapping,
      v1Url: options.v1,
      v2Url: options.v2,
      gatewayUrl: options.gateway,
      direct: options.direct ?? false,
      repeat: options.repeat,
      warmup: options.warmup,
      concurrency: options.concurrency,
      timeoutMs: options.timeout,
      performanceThreshold: options.performanceThreshold,
      latencyAllowanceMs: options.latencyAllowance,
      minScore: options.minScore,
      allowUntested: options.allowUntested ?? false,
      tags: options.tag,
      outDir: options.out,
      formats: options.format,
      verbose: options.verbose ?? false,
      breakingChanges,
    },
    io,
  );
  return exitCode;
}

/** report.json is the canonical report and always written; --format picks the others. */
export const EXTRA_FORMATS = REPORT_FORMATS.filter((format) => format !== 'json');

export function parseFormats(value: string): ReportFormat[] {
  const formats = value.split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = formats.filter((format) => !(REPORT_FORMATS as readonly string[]).includes(format));
  if (unknown.length) throw new InvalidArgumentError(`unknown format ${unknown.join(', ')}; formats: ${REPORT_FORMATS.join(', ')}`);
  return formats as ReportFormat[];
}

function collectTags(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((tag) => tag.trim()).filter(Boolean)];
}

