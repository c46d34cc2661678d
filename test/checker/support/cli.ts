import { main } from '../../../src/cli/main.js';
import { memoryIo, type CliRun } from '../../support/cli-harness.js';

export { tempDir, type CliRun } from '../../support/cli-harness.js';

/**
 * Speed is measured by `npm run bench`, side by side, never by tests: on a shared 2-core machine
 * running test files in parallel, a latency ratio says more about the neighbours than about the
 * gateway. So checks run here with a threshold no run can miss, unless a test judges latency.
 */
const LATENCY_NOT_JUDGED = ['--performance-threshold', '1000'];

/**
 * Runs a command line in-process like the shared harness, plus what the checker's tests need:
 * an outside stop signal (Ctrl-C at a chosen moment) and a terminal or not.
 */
export async function runCli(
  argv: string[],
  options: { env?: Record<string, string | undefined>; stop?: AbortSignal; isTTY?: boolean; judgeLatency?: boolean } = {},
): Promise<CliRun> {
  const { io, output } = memoryIo({ env: options.env });
  const runsCheck = argv[0] === 'check' || (argv[0] === 'demo' && argv.includes('--check'));
  const args = runsCheck && !options.judgeLatency && !argv.includes('--performance-threshold') ? [...argv, ...LATENCY_NOT_JUDGED] : argv;
  const code = await main(args, { ...io, ...(options.stop ? { stop: options.stop } : {}), isTTY: options.isTTY ?? false });
  return { code, ...output };
}

/** Stack frames look like "    at fn (file:line:col)"; none may reach a user. */
export const STACK_FRAME = /^\s+at .+[:(]\d+/m;
