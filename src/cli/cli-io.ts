/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  isTTY: boolean;
  /** Aborted on Ctrl-C / SIGTERM (or by a test) to stop long-running commands. */
  stop: AbortSignal;
}

export const EXIT = { ok: 0, findings: 1, badInput: 2, runtimeFailure: 3 } as const;

export function processIo(): CliIo {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  stopWhenOrphaned(onSignal);
  // `api-compat help check | head`: once the reader is gone, stop writing and end quietly instead
  // of dying on an unhandled EPIPE.
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code !== 'EPIPE') {
      process.stderr.write(`api-compat: cannot write to the standard output: ${error.message}\n`);
      process.exitCode = EXIT.runtimeFailure;
    }
  });
  // Last resort: an error nothing caught (a socket event, a timer) still ends as one line, exit 3.
  const verbose = process.argv.includes('--verbose');
  const crash = (error: unknown) => {
    const line = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0];
    process.stderr.write(`api-compat: unexpected failure: ${line}${verbose ? '' : ' (add --verbose for the details)'}\n`);
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(EXIT.runtimeFailure);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    stop: controller.signal,
  };
}

/**
 * Under `npx` (npm exec), a SIGTERM reaches npm, which exits without passing it on through the
 * shell it started: the command would keep running, reparented. The parent's pid changing is
 * the sign; treat it as the signal. Checked twice a second, never keeping the process alive.
 */
function stopWhenOrphaned(stop: () => void): void {
  if (!process.env.npm_execpath) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, 500);
  timer.unref();
}

export function untilStopped(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function paint(io: CliIo): (code: number, text: string) => string {
  const enabled = io.isTTY && !io.env.NO_COLOR;
  return (code, text) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
}
