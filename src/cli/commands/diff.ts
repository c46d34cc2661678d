import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { writeFileAtomically } from '../../io/write-file-atomically.js';
import { SourceLoadError } from '../../io/yaml-source.js';
import { renderDiffMarkdown, renderDiffSarif, renderDiffText } from '../../render/diff-report.js';
import { assessCoverage, mappingPairs, type CoverageReport } from '../../spec/coverage.js';
import { buildDiffReport, type ReportedFinding } from '../../spec/diff-report.js';
import { diffSpecs } from '../../spec/diff.js';
import { operationPointer, type SpecDocument } from '../../spec/model.js';
import { RULES } from '../../spec/rule-registry.js';
import type { Level } from '../../spec/rule.js';
import { loadWaivers, type Waiver } from '../../spec/waivers.js';
import { EXIT, paint, type CliIo } from '../cli-io.js';
import { loadMappingForCommand } from '../load-or-report.js';
import { loadSpecPair } from '../spec-inputs.js';

export const DIFF_FORMATS = ['text', 'json', 'md', 'sarif'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

interface DiffOptions {
  mapping?: string;
  format: DiffFormat;
  failOn?: Level;
  waivers?: string;
  out?: string;
  info?: boolean;
  validate: boolean;
}

export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('breaking changes between two OpenAPI documents, and which of them the mapping covers')
    .argument('<v1-spec>', 'the v1 OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON)')
    .argument('<v2-spec>', 'the v2 OpenAPI document')
    .option('--mapping <file>', 'mapping table: pair operations by it and mark each breaking finding covered or uncovered')
    .option('--format <format>', `output: ${DIFF_FORMATS.join(', ')}`, parseFormat, 'text')
    .option('--fail-on <level>', 'exit 1 when a finding at this level or above is neither covered nor waived: error or warn', parseLevel)
    .option('--waivers <file>', 'accepted findings: YAML "waivers: [{ fingerprint, reason }]"')
    .option('--out <file>', 'write the output to a file instead of standard output')
    .option('--info', 'text format: also list info findings')
    .option('--no-validate', 'read documents that do not pass their OpenAPI schema, as far as they can be read')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  api-compat diff examples/knowledge/openapi-v1.yaml examples/knowledge/openapi-v2.yaml',
        '  api-compat diff v1.yaml v2.yaml --mapping mappings/knowledge.yaml --fail-on error',
        '  api-compat diff v1.yaml v2.yaml --format sarif --out diff.sarif',
        '',
        'Exit codes: 0 nothing failing, 1 findings at --fail-on or above neither covered nor waived (or',
        'mapping entries the documents do not know), 2 bad input.',
      ].join('\n'),
    )
    .action(async (v1File: string, v2File: string, options: DiffOptions) => setExit(await diffCommand(v1File, v2File, options, io)));
}

function parseFormat(value: string): DiffFormat {
  if (!(DIFF_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${DIFF_FORMATS.join(', ')}`);
  return value as DiffFormat;
}

function parseLevel(value: string): Level {
  if (value !== 'error' && value !== 'warn') throw new InvalidArgumentError('expected error or warn');
  return value;
}

async function diffCommand(v1File: string, v2File: string, options: DiffOptions, io: CliIo): Promise<number> {
  const specs = await loadSpecPair(v1File, v2File, io, { validate: options.validate });
  if (!specs) return EXIT.badInput;
  let waivers: Waiver[] | undefined;
  if (options.waivers) {
    try {
      waivers = await loadWaivers(resolve(io.cwd, options.waivers), options.waivers);
    } catch (error) {
      if (!(error instanceof SourceLoadError)) throw error;
      io.stderr(error.message + '\n');
      return EXIT.badInput;
    }
  }
  const loaded = options.mapping ? await loadMappingForCommand(options.mapping, io) : undefined;
  if (options.mapping && !loaded) return EXIT.badInput;
  const diff = diffSpecs(specs.v1, specs.v2, { pairs: loaded ? mappingPairs(loaded.table) : [] });
  let coverage: CoverageReport | undefined;
  if (loaded) coverage = await assessCoverage(diff, loaded.table, loaded.document);
  const report = buildDiffReport(diff, { coverage, mapping: options.mapping, waivers, failOn: options.failOn });
  const text =
    options.format === 'json'
      ? JSON.stringify(report, null, 2) + '\n'
      : options.format === 'md'
        ? renderDiffMarkdown(report)
        : options.format === 'sarif'
          ? renderDiffSarif(report, RULES, (finding) => sarifLocation(finding, specs.v1, specs.v2))
          : renderDiffText(report, { paint: options.out ? undefined : paint(io), showInfo: options.info });
  if (options.out) {
    await writeFileAtomically(resolve(io.cwd, options.out), text);
    io.stdout(`diff: ${options.out} (${report.summary.error} error, ${report.summary.warn} warn, ${report.summary.info} info)\n`);
  } else io.stdout(text);
  return report.summary.failing > 0 ? EXIT.findings : EXIT.ok;
}

function sarifLocation(finding: ReportedFinding, v1: SpecDocument, v2: SpecDocument): { uri: string; line?: number; column?: number } {
  const inV2 = finding.v2Operation ?? (finding.rule === 'endpoint-added' ? finding.operation : undefined);
  const [spec, name] = inV2 ? [v2, inV2] : [v1, finding.operation];
  const operation = spec.operations.find((op) => `${op.method} ${op.path}` === name);
  const position = operation && spec.locate ? spec.locate(operationPointer(operation)) : undefined;
  return { uri: spec.file, ...position };
}
