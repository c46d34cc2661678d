import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, ProcessUsage } from './protocol.js';

/** A server the bench measures: where it listens and what it has spent so far. */
export interface ServerUnderTest {
  url: string;
  pid: number;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 20_000;
const QUESTION_TIMEOUT_MS = 5_000;

/**
 * Starts `bench/servers/<entry>` in its own Node process (TypeScript through tsx, as the CLI
 * runs), so the CPU time it reports is its own and never the load generator's.
 */
export async function startNodeServer(entry: string, args: string[] = [], options: { nodeOptions?: string[] } = {}): Promise<ServerUnderTest> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const execArgv = [...(options.nodeOptions ?? []), '--import', 'tsx'];
  const child = fork(file, args, { cwd: REPOSITORY, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A send on a channel the child closed is reported by the usage timeout; never crash the bench here.
  child.on('error', () => {});
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${entry} exited with code ${code} before listening`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message.url);
    });
  });
  child.removeAllListeners('exit');
  let stopping = false;
  child.once('exit', (code, signal) => {
    // A server that dies mid-run leaves every later number meaningless: stop loudly.
    if (!stopping) {
      process.stderr.write(`[bench] ${entry} died (code ${code}, signal ${signal}); stopping the bench\n`);
      process.exit(3);
    }
  });
  return {
    url,
    pid: child.pid!,
    usage: () => askUsage(child, entry),
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

let nextQuestion = 0;

/** Asks the child for its usage and waits for the answer carrying the same id. */
function askUsage(child: ChildProcess, entry: string): Promise<ProcessUsage> {
  const id = nextQuestion++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`${entry} did not report its usage within ${QUESTION_TIMEOUT_MS} ms`));
    }, QUESTION_TIMEOUT_MS);
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'usage' || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'usage', id } satisfies ParentMessage);
  });
}

/** Closing the IPC channel makes the child exit on its own; a kill follows if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  return stopProcess(child, 2_000, () => {
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
  });
}

/** Asks a process to stop, then kills it if it has not exited within `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs: number, askToStop: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    askToStop();
  });
}
