import { main } from '../../../src/cli/main.js';
import { memoryIo, type CliRun } from '../../support/cli-harness.js';

export { tempDir, type CliRun } from '../../support/cli-harness.js';

/**
 * Runs a command line in-process like the shared harness, plus what the checker's tests need:
 * an outside stop signal (Ctrl-C at a chosen moment) and a terminal or not.
 */
export async function runCli(argv: string[], options: { env?: Record<string, string | undefined>; stop?: AbortSignal; isTTY?: boolean } = {}): Promise<CliRun> {
  const { io, output } = memoryIo({ env: options.env });
  const code = await main(argv, { ...io, ...(options.stop ? { stop: options.stop } : {}), isTTY: options.isTTY ?? false });
  return { code, ...output };
}

/** Stack frames look like "    at fn (file:line:col)"; none may reach a user. */
export const STACK_FRAME = /^\s+at .+[:(]\d+/m;
