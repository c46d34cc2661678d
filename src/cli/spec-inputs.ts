import { resolve } from 'node:path';
import type { SpecDocument } from '../spec/model.js';
import { loadSpec, SpecLoadError } from '../spec/load-spec.js';
import type { CliIo } from './cli-io.js';

/** Loads the two OpenAPI documents a command names; prints why and returns undefined when either is unusable. */
export async function loadSpecPair(v1File: string, v2File: string, io: CliIo, options: { validate?: boolean } = {}): Promise<{ v1: SpecDocument; v2: SpecDocument } | undefined> {
  const load = async (file: string) => {
    try {
      return await loadSpec(resolve(io.cwd, file), file, options);
    } catch (error) {
      if (!(error instanceof SpecLoadError)) throw error;
      io.stderr(error.message + '\n');
      return undefined;
    }
  };
  const [v1, v2] = [await load(v1File), await load(v2File)];
  return v1 && v2 ? { v1, v2 } : undefined;
}
