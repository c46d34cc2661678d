import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadMappingFile, type LoadedMapping } from '../io/load-mapping.js';
import { formatDiagnostic, SourceLoadError } from '../io/yaml-source.js';
import { inputError, unreadableFileError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/**
 * Fails with one sentence (exit 2) when a file the user named is missing or is a folder; `label`
 * says where it was named, e.g. `--mapping x.yaml`.
 */
export async function requireFile(file: string, label: string, io: CliIo): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(resolve(io.cwd, file))).isDirectory();
  } catch (error) {
    throw unreadableFileError(label, error);
  }
  if (isFolder) throw inputError(`${label} is a folder, not a file`, 'pass a file inside it');
}

/**
 * Loads a mapping for a command; prints every problem and returns undefined when it is invalid.
 * `file` is shown as given (the path as the user typed it).
 */
export async function loadMappingForCommand(file: string, io: CliIo, label = `--mapping ${file}`): Promise<LoadedMapping | undefined> {
  await requireFile(file, label, io);
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
