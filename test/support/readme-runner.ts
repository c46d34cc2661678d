import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareShown, normalise, remapPorts, type NormaliseContext } from './readme-blocks.js';

/*
 * Runs README commands the way a user would, in a scratch copy of the repository (so `sed ... >
 * broken.yaml`, reports and guides never touch the checkout), with `api-compat` on the PATH.
 * Conventions: readme-blocks.ts.
 */

export const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** Generated or local folders a clean clone does not have: not copied (node_modules is linked). */
const NOT_COPIED = new Set(['node_modules', '.git', 'compat-reports', 'coverage', '.tmp', '.scratch', 'bench/results']);

export interface Workspace {
  dir: string;
  env: Record<string, string>;
  ports: Map<number, number>;
  remove(): Promise<void>;
}

export async function createWorkspace(readmePorts: number[]): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'api-compat-readme-'));
  const copied = (source: string) => {
    const path = relative(REPOSITORY, source);
    return !NOT_COPIED.has(path) && !path.split('/').includes('node_modules');
  };
  for (const entry of await readdir(REPOSITORY)) {
    if (copied(join(REPOSITORY, entry))) await cp(join(REPOSITORY, entry), join(dir, entry), { recursive: true, filter: copied });
  }
  await mkdir(join(dir, 'compat-reports'), { recursive: true });
  await symlink(join(REPOSITORY, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // `api-compat` as an installed package provides it (npm install -g, or a project's .bin).
  const bin = join(dir, '.readme-bin');
  await mkdir(bin);
  await writeFile(join(bin, 'api-compat'), `#!/bin/sh\nexec "${process.execPath}" "${join(dir, 'bin', 'api-compat.js')}" "$@"\n`);
  await chmod(join(bin, 'api-compat'), 0o755);
  const ports = new Map<number, number>();
  for (const port of new Set(readmePorts)) ports.set(port, await freePort());
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^(V1_URL|V2_URL|NO_COLOR|FORCE_COLOR)$/.test(name)) env[name] = value;
  env.PATH = `${bin}:${dirname(process.execPath)}:${env.PATH ?? ''}`;
  env.NO_COLOR = '1';
  return { dir, env, ports, remove: () => rm(dir, { recursive: true, force: true }) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CommandRun {
  code: number | null;
  output: string;
}

/** One command through sh, stdout and stderr interleaved as on a terminal. */
export function runCommand(workspace: Workspace, command: string, options: { env?: Record<string, string>; timeoutMs: number }): Promise<CommandRun> {
  const child = spawnShell(workspace, command, options.env);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      output += `\n(readme test: still running after ${options.timeoutMs} ms, so stopped; a server needs <!-- readme-test: daemon --> above its block)`;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function spawnShell(workspace: Workspace, command: string, env: Record<string, string> = {}): ChildProcess {
  // exec 2>&1: one pipe, so stderr lines land where a terminal would show them.
  return spawn('sh', ['-c', `exec 2>&1\n${command}`], { cwd: workspace.dir, env: { ...workspace.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** A long-running command (a server), stopped as Ctrl-C would stop it. */
export interface Daemon {
  command: string;
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts a long-running command and resolves once `isReady(output)` holds; rejects (after
 * stopping it) when it exits first or is not ready within the timeout.
 */
export async function startDaemon(workspace: Workspace, command: string, isReady: (output: string) => boolean, options: { env?: Record<string, string>; timeoutMs: number }): Promise<Daemon> {
  const child = spawnShell(workspace, command, options.env);
  let output = '';
  let exited = false;
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  void closed.then(() => (exited = true));
  const daemon: Daemon = {
    command,
    output: () => output,
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      killGroup(child, 'SIGINT');
      const forced = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await closed;
      clearTimeout(forced);
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready after ${options.timeoutMs} ms`), options.timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      void daemon.stop().then(() => reject(new Error(`${command}: ${why}; its output:\n${output}`)));
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (isReady(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void closed.then(() => fail('exited before it was ready'));
  });
  return daemon;
}

/** Fixtures a block asks for with `with=NAME`: each is a README command run as a daemon. */
export const FIXTURES: Record<string, { command: string; ready: RegExp }> = {
  demo: { command: 'npm start -- --port 8080 --v1-port 4001 --v2-port 4002', ready: /gateway\s+http:\/\/\S+/ },
};

export function showsAll(shown: string[], output: string, context: NormaliseContext & { exact?: boolean }): ReturnType<typeof compareShown> {
  return compareShown(normalise(shown.join('\n'), context), normalise(output, context), { exact: context.exact });
}

export { remapPorts };
