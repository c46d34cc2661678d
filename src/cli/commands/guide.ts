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

interface GuideOptions {
  mapping: string;
  report?: string;
  out: string;
}

export function registerGuide(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('guide')
    .description('write a migration guide per endpoint from the mapping (and the readiness of a report)')
    .requiredOption('--mapping <file>', 'mapping file')
    .option('--report <file>', 'a report.json from api-compat check, for readiness per endpoint')
    .option('--out <dir>', 'folder for <mapping>/index.md and one page per endpoint', 'compat-reports/guides')
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
  const guide = buildGuide(loaded.table, loaded.document, report);
  const files: Record<string, string> = { 'index.md': renderGuideIndex(guide) };
  for (const endpoint of guide.endpoints) files[guidePageName(endpoint)] = renderEndpointGuide(guide, endpoint);
  const folder = resolve(io.cwd, options.out, basename(options.mapping, extname(options.mapping)));
  await writeDirectoryAtomically(folder, files);
  io.stdout(`guide for ${guide.endpoints.length} endpoints: ${join(relative(io.cwd, folder) || '.', 'index.md')}\n`);
  return EXIT.ok;
}
