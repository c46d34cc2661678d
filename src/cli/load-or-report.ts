import { resolve } from 'node:path';
import { loadMappingFile, type LoadedMapping } from '../io/load-mapping.js';
import { formatDiagnostic, SourceLoadError } from '../io/yaml-source.js';
import type { CliIo } from './cli-io.js';

/** Loads a mapping for a command; prints every problem and returns undefined when it is invalid. */
export async function loadMappingForCommand(file: string, io: CliIo): Promise<LoadedMapping | undefined> {
  try {
    const loaded = await loadMappingFile(resolve(io.cwd, file), { env: io.env, displayName: file });
    for (const warning of loaded.diagnostics) io.stderr(formatDiagnostic(warning) + '\n');
    return loaded;
  } catch (error) {
    if (error instanceof SourceLoadError) {
      io.stderr(error.message + '\n');
      return undefined;
    }
    throw error;
  }
}
