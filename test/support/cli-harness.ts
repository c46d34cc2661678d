import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An in-memory terminal for running commands in-process; `stop` plays Ctrl-C. */
export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const controller = new AbortController();
  const output = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (text) => void (output.stdout += text),
    stderr: (text) => void (output.stderr += text),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    stop: controller.signal,
  };
  return { io, output, stop: () => controller.abort() };
}

export async function runCli(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const { io, output } = memoryIo(options);
  const code = await main(argv, io);
  return { code, ...output };
}

export async function tempDir(): Promise<{ dir: string; write(name: string, text: string): Promise<string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'api-compat-'));
  return {
    dir,
    write: async (name, text) => {
      const file = join(dir, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
