import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadMappingSource } from '../../io/load-mapping.js';
import { formatDiagnostic, readYamlSource, SourceLoadError } from '../../io/yaml-source.js';
import { EXIT, type CliIo } from '../cli-io.js';

export function registerLint(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('validate mapping files with every check the gateway runs at load time')
    .argument('<files...>', 'mapping files (YAML or JSON)')
    .addHelpText('after', '\nExample:\n  api-compat lint mappings/*.yaml\n\nExit codes: 0 clean, 2 when any file has errors.')
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        try {
          const source = await readYamlSource(resolve(io.cwd, file), file);
          const loaded = await loadMappingSource(source, { env: io.env });
          for (const warning of loaded.diagnostics) io.stderr(formatDiagnostic(warning) + '\n');
          io.stdout(`${file}: ok (${loaded.table.endpoints.length} endpoints, ${loaded.table.resources.size} resources)\n`);
        } catch (error) {
          if (!(error instanceof SourceLoadError)) throw error;
          failed = true;
          io.stderr(error.message + '\n');
        }
      }
      setExit(failed ? EXIT.badInput : EXIT.ok);
    });
}
