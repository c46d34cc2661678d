import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildGuide } from '../../core/guide/guide-model.js';
import type { CompatReport } from '../../core/model/report.js';
import { validateAgainstSchema } from '../../io/schema-validation.js';
import { writeDirectoryAtomically } from '../../io/write-directory.js';
import { guidePageName, renderEndpointGuide, renderGuideIndex } from '../../render/guide-md.js';
import { firstLine, inputError, unreadableFileError } from '../cli-error.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadMappingForCommand, requireFile } from '../load-or-report.js';
import { findingsByEndpoint } from '../spec-findings.js';
import { loadSpecPair } from '../spec-inputs.js';

interface GuideOptions {
  mapping: string;
  report?: string;
  out: string;
  v1Spec?: string;
  v2Spec?: string;
}

export function registerGuide(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('guide')
    .description('write a migration guide per endpoint from the mapping (and the readiness of a report)')
    .requiredOption('--mapping <file>', 'mapping file')
    .option('--report <file>', 'a report.json from api-compat check, for readiness per endpoint')
    .option('--out <dir>', 'folder for <mapping>/index.md and one page per endpoint', 'compat-reports/guides')
    .option('--v1-spec <file>', 'with --v2-spec: list each endpoint\'s breaking changes between the OpenAPI documents, and whether the mapping covers them')
    .option('--v2-spec <file>', 'the v2 OpenAPI document (with --v1-spec)')
    .addHelpText('after', '\nExample:\n  api-compat guide --mapping mappings/knowledge.yaml --report compat-reports/knowledge/latest/report.json')
    .action(async (options: GuideOptions) => setExit(await guideCommand(options, io)));
}

async function guideCommand(options: GuideOptions, io: CliIo): Promise<number> {
  const loaded = await loadMappingForCommand(options.mapping, io);
  if (!loaded) return EXIT.badInput;
  let report: CompatReport | undefined;
  if (options.report) {
    const label = `--report ${options.report}`;
    await requireFile(options.report, label, io);
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, options.report), 'utf8');
    } catch (error) {
      throw unreadableFileError(label, error);
    }
    try {
      report = JSON.parse(text) as CompatReport;
    } catch (error) {
      throw inputError(`${label} is not JSON (${firstLine(error)})`, 'pass the report.json that api-compat check wrote');
    }
    const problems = validateAgainstSchema('report', report);
    if (problems.length) {
      const [first] = problems;
      throw inputError(
        `${label} at ${first!.pointer || '/'}: ${first!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`,
        'pass a report.json written by api-compat check, such as compat-reports/<suite>/latest/report.json',
      );
    }
  }
  if (!options.v1Spec !== !options.v2Spec) {
    io.stderr('guide: give both --v1-spec and --v2-spec, or neither\n');
    return EXIT.badInput;
  }
  const specs = options.v1Spec && options.v2Spec ? await loadSpecPair(options.v1Spec, options.v2Spec, io) : undefined;
  if (options.v1Spec && !specs) return EXIT.badInput;
  const findings = specs ? await findingsByEndpoint(loaded.table, loaded.document, specs.v1, specs.v2) : undefined;
  const guide = buildGuide(loaded.table, loaded.document, report);
  const files: Record<string, string> = { 'index.md': renderGuideIndex(guide) };
  for (const endpoint of guide.endpoints) files[guidePageName(endpoint)] = renderEndpointGuide(guide, endpoint, findings?.get(endpoint.id));
  const folder = resolve(io.cwd, options.out, basename(options.mapping, extname(options.mapping)));
  await writeDirectoryAtomically(folder, files);
  io.stdout(`guide for ${guide.endpoints.length} endpoints: ${join(relative(io.cwd, folder) || '.', 'index.md')}\n`);
  return EXIT.ok;
}
