import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { tempDir } from './cli-harness.js';

/**
 * For a test file: a temporary workspace (made before its tests, removed after them) and copies
 * of a mapping file with one text changed, written into it.
 */
export function mappingVariants(file: string) {
  let workspace: Awaited<ReturnType<typeof tempDir>>;
  let original: string;
  beforeAll(async () => {
    workspace = await tempDir();
    original = await readFile(file, 'utf8');
  });
  afterAll(() => workspace.remove());
  return {
    workspace: () => workspace,
    /** A copy with `from` replaced by `to`; `from` must be in the original. */
    async mappingWith(name: string, from: string, to: string): Promise<string> {
      expect(original).toContain(from);
      return workspace.write(name, original.replace(from, to));
    },
  };
}
