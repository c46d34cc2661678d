import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isRecord } from '../../core/transform/path.js';
import { loadMappingFile, loadMappingSource } from '../../io/load-mapping.js';
import { checkSuiteAgainstMapping, loadSuiteSource } from '../../io/load-scenario.js';
import { formatDiagnostic, readYamlSource, SourceLoadError, type YamlSource } from '../../io/yaml-source.js';
import { displayPath, errorLine, unreadableFileError } from '../cli-error.js';
import { EXIT, type CliIo } from '../cli-io.js';

/** What a folder given to lint contributes: the files users mean by "lint this folder". */
const LINTED_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

export function registerLint(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('validate mapping and scenario suite files with every check run at load time')
    .argument('<files...>', 'mapping or scenario files (YAML or JSON), or folders: every *.yaml, *.yml and *.json inside; a file with top-level "suite" or "scenarios" is a scenario suite')
    .addHelpText('after', '\nExamples:\n  api-compat lint mappings/*.yaml scenarios/*.yaml\n  api-compat lint mappings/\n\nExit codes: 0 clean, 2 when any file has errors.')
    .action(async (paths: string[]) => setExit(await lintCommand(paths, io)));
}

async function lintCommand(paths: string[], io: CliIo): Promise<number> {
  let failed = false;
  const fail = (line: string) => {
    failed = true;
    io.stderr(line + '\n');
  };
  for (const typed of paths) {
    let files: string[];
    try {
      files = await expand(typed, io);
    } catch (error) {
      const failure = unreadableFileError(typed, error);
      fail(errorLine('lint', failure.what, failure.fix));
      continue;
    }
    if (files.length === 0) fail(errorLine('lint', `${typed} is a folder without any .yaml, .yml or .json file`, 'pass the folder that holds the mappings or suites'));
    for (const file of files) {
      try {
        const source = await readYamlSource(resolve(io.cwd, file), file);
        const kind = kindOf(source);
        if (kind === 'other') {
          fail(errorLine('lint', `${file} is neither a mapping (no top-level "endpoints") nor a scenario suite (no top-level "scenarios")`, 'pass a mapping or a suite file'));
          continue;
        }
        io.stdout(`${file}: ${kind === 'suite' ? await lintSuite(source, io) : await lintMapping(source, io)}\n`);
      } catch (error) {
        if (!(error instanceof SourceLoadError)) throw error;
        if (!LINTED_EXTENSIONS.has(extname(file).toLowerCase()) && error.diagnostics.some((d) => d.message.startsWith('YAML syntax'))) {
          // README.md, a .ts file...: one sentence, not a page of YAML syntax errors.
          fail(errorLine('lint', `${file} is not YAML or JSON, so neither a mapping nor a scenario suite`, 'pass a .yaml or .json file'));
        } else fail(error.message);
      }
    }
  }
  return failed ? EXIT.badInput : EXIT.ok;
}

/** A file stays itself; a folder becomes its YAML and JSON files (recursively, sorted), named as typed. */
async function expand(typed: string, io: CliIo): Promise<string[]> {
  const info = await stat(resolve(io.cwd, typed));
  if (!info.isDirectory()) return [typed];
  const found: string[] = [];
  const walk = async (folder: string) => {
    const entries = await readdir(resolve(io.cwd, folder), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) await walk(path);
      } else if (LINTED_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
    }
  };
  await walk(typed);
  return found;
}

function kindOf(source: YamlSource): 'mapping' | 'suite' | 'other' {
  if (!isRecord(source.value)) return 'other';
  if ('suite' in source.value || 'scenarios' in source.value) return 'suite';
  if ('endpoints' in source.value || 'resources' in source.value || 'upstream' in source.value) return 'mapping';
  return 'other';
}

async function lintMapping(source: YamlSource, io: CliIo): Promise<string> {
  const loaded = await loadMappingSource(source, { env: io.env });
  for (const warning of loaded.diagnostics) io.stderr(formatDiagnostic(warning) + '\n');
  return `ok (${loaded.table.endpoints.length} endpoints, ${loaded.table.resources.size} resources)`;
}

/** A suite that names its mapping is also checked against it: every request should reach an endpoint. */
async function lintSuite(source: YamlSource, io: CliIo): Promise<string> {
  const loaded = loadSuiteSource(source, { env: io.env });
  const warnings = [...loaded.diagnostics];
  if (loaded.mappingFile) {
    const mapping = await loadMappingFile(loaded.mappingFile, { env: io.env, displayName: displayPath(io, loaded.mappingFile) });
    warnings.push(...checkSuiteAgainstMapping(loaded, mapping.table));
  }
  for (const warning of warnings) io.stderr(formatDiagnostic(warning) + '\n');
  const steps = loaded.suite.scenarios.reduce((sum, scenario) => sum + scenario.steps.length, 0);
  return `ok (scenario suite: ${loaded.suite.scenarios.length} scenarios, ${steps} requests${loaded.mappingFile ? ', checked against its mapping' : ''})`;
}
