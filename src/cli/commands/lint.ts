import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isRecord } from '../../core/transform/path.js';
import { loadMappingFile, loadMappingSource } from '../../io/load-mapping.js';
import { checkSuiteAgainstMapping, loadSuiteSource } from '../../io/load-scenario.js';
import { formatDiagnostic, readYamlSource, SourceLoadError, type YamlSource } from '../../io/yaml-source.js';
import { EXIT, type CliIo } from '../cli-io.js';

export function registerLint(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('validate mapping and scenario suite files with every check run at load time')
    .argument('<files...>', 'mapping or scenario files (YAML or JSON); a file with top-level "suite" or "scenarios" is a scenario suite')
    .addHelpText('after', '\nExample:\n  api-compat lint mappings/*.yaml scenarios/*.yaml\n\nExit codes: 0 clean, 2 when any file has errors.')
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        try {
          const source = await readYamlSource(resolve(io.cwd, file));
          io.stdout(`${file}: ${isSuite(source) ? await lintSuite(source, io) : await lintMapping(source, io)}\n`);
        } catch (error) {
          if (!(error instanceof SourceLoadError)) throw error;
          failed = true;
          io.stderr(error.message + '\n');
        }
      }
      setExit(failed ? EXIT.badInput : EXIT.ok);
    });
}

function isSuite(source: YamlSource): boolean {
  return isRecord(source.value) && ('suite' in source.value || 'scenarios' in source.value);
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
  if (loaded.mappingFile) warnings.push(...checkSuiteAgainstMapping(loaded, (await loadMappingFile(loaded.mappingFile, { env: io.env })).table));
  for (const warning of warnings) io.stderr(formatDiagnostic(warning) + '\n');
  const steps = loaded.suite.scenarios.reduce((sum, scenario) => sum + scenario.steps.length, 0);
  return `ok (scenario suite: ${loaded.suite.scenarios.length} scenarios, ${steps} requests${loaded.mappingFile ? ', checked against its mapping' : ''})`;
}
