import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildGuide } from '../../core/guide/guide-model.js';
import type { CompatReport } from '../../core/model/report.js';
import { validateAgainstSchema } from '../../io/schema-validation.js';
import { writeDirectoryAtomically } from '../../io/write-directory.js';
import { guidePageName, renderEndpointGuide, renderGuideIndex } from '../../render/guide-md.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadMappingForCommand } from '../load-or-report.js';
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
    try {
      report = JSON.parse(await readFile(resolve(io.cwd, options.report), 'utf8')) as CompatReport;
    } catch (error) {
      io.stderr(`--report ${options.report}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not JSON (${(error as Error).message})`}\n`);
      return EXIT.badInput;
    }
    const problems = validateAgainstSchema('report', report);
    if (problems.length) {
      io.stderr(problems.map((problem) => `--report ${options.report} at ${problem.pointer || '/'}: ${problem.message}`).join('\n') + '\n');
      return EXIT.badInput;
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
