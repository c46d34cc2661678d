import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../examples/knowledge/start.js';
import { main } from '../src/cli/main.js';
import { memoryIo, runCli, tempDir } from './support/cli-harness.js';
import { KNOWLEDGE_MAPPING } from './support/example-stack.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * `api-compat serve` as operators run it: configured from the environment, logging one JSON
 * line per request, refusing a taken port in one line, stopping on SIGTERM even under npx, and
 * telling probes when v2 is out of reach.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let services: ExampleServices;
beforeAll(async () => {
  services = await startExampleServices();
});
afterAll(() => services.close());

interface Started {
  child: ChildProcess;
  lines: () => Array<Record<string, unknown>>;
  listening: Record<string, unknown>;
}

/** Runs the command in its own process and waits for its "gateway listening" line. */
async function startProcess(command: string, args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, V2_URL: services.v2.url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = () =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const until = Date.now() + 30_000;
  for (;;) {
    const listening = lines().find((line) => line.msg === 'gateway listening');
    if (listening) return { child, lines, listening };
    if (Date.now() > until || child.exitCode !== null) throw new Error(`the gateway did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the process did not exit')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('serve in production', () => {
  it('takes every setting from API_COMPAT_* variables and writes one redacted access-log line per request', async () => {
    const started = await startProcess(process.execPath, ['bin/api-compat.js', 'serve'], {
      API_COMPAT_MAPPING: KNOWLEDGE_MAPPING,
      API_COMPAT_PORT: '0',
      API_COMPAT_ADMIN_PORT: '0',
      API_COMPAT_ADMIN_TOKEN: 'tok',
      API_COMPAT_NO_WATCH: '1',
      API_COMPAT_LOG_LEVEL: 'info',
    });
    try {
      const { url, admin } = started.listening as { url: string; admin: string };
      expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${admin}/routes`)).status).toBe(401);
      const answer = await fetch(`${url}/api/v1/search?q=vector&api_key=hunter2`, { headers: { 'x-request-id': 'req-42', authorization: 'Bearer user-secret' } });
      await answer.arrayBuffer();
      const until = Date.now() + 5_000;
      while (!started.lines().some((line) => line.msg === 'request') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
      const access = started.lines().filter((line) => line.msg === 'request');
      expect(access).toHaveLength(1);
      // api_key is no parameter of search: the gateway answers 400 itself, with no upstream call.
      expect(access[0]).toMatchObject({ level: 'info', requestId: 'req-42', method: 'GET', path: '/api/v1/search', endpoint: 'search', status: answer.status, upstreamCalls: 0, query: { q: 'vector', api_key: '[redacted]' } });
      expect(typeof access[0]!.ms).toBe('number');
      const everything = JSON.stringify(started.lines());
      expect(everything).not.toContain('hunter2');
      expect(everything).not.toContain('user-secret');
    } finally {
      started.child.kill('SIGTERM');
      expect(await exited(started.child)).toBe(0);
    }
  });

  it('reads a switch variable by its value: API_COMPAT_NO_WATCH=0 keeps watching, a value that is no yes or no exits 2', async () => {
    const workspace = await tempDir();
    try {
      const original = await readFile(KNOWLEDGE_MAPPING, 'utf8');
      const file = await workspace.write('mapping.yaml', original);
      const started = await startProcess(process.execPath, ['bin/api-compat.js', 'serve', '--mapping', file, '--port', '0'], { API_COMPAT_NO_WATCH: '0' });
      try {
        await workspace.write('mapping.yaml', `${original}# edited\n`);
        const until = Date.now() + 10_000;
        while (!started.lines().some((line) => line.msg === 'mapping reloaded') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(started.lines().map((line) => line.msg)).toContain('mapping reloaded');
      } finally {
        started.child.kill('SIGTERM');
        await exited(started.child);
      }
      const refused = spawn(process.execPath, ['bin/api-compat.js', 'serve', '--mapping', file, '--port', '0'], { cwd: ROOT, env: { ...process.env, V2_URL: services.v2.url, API_COMPAT_NO_WATCH: 'maybe' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      refused.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect(await exited(refused)).toBe(2);
      expect(stderr.trim()).toBe('api-compat serve: API_COMPAT_NO_WATCH=maybe is not a yes or no: set it to 1 (--no-watch on) or 0 (off), or unset it');
    } finally {
      await workspace.remove();
    }
  });

  it('stops on SIGTERM sent to npx, which does not pass it on', async () => {
    const started = await startProcess('npx', ['api-compat', 'serve', '--mapping', KNOWLEDGE_MAPPING, '--port', '0', '--no-watch'], {});
    const { url } = started.listening as { url: string };
    expect((await fetch(`${url}/tasks/1`)).status).toBe(200);
    started.child.kill('SIGTERM');
    await exited(started.child);
    // The gateway itself, a grandchild of npx, must be gone too: nothing answers on its port.
    const until = Date.now() + 5_000;
    let stillServing = true;
    while (stillServing && Date.now() < until) {
      stillServing = await fetch(`${url}/tasks/1`).then(
        () => true,
        () => false,
      );
      if (stillServing) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stillServing).toBe(false);
  });

  it('says in one line that the port is taken, and exits 2', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const run = await runCli(['serve', '--mapping', KNOWLEDGE_MAPPING, '--port', String(port), '--no-watch'], { env: { V2_URL: services.v2.url } });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`api-compat serve: port ${port} on 127.0.0.1 is already in use; stop what holds it or choose another port\n`);
    } finally {
      holder.close();
    }
  });

  it.each([
    ['answers /readyz 503 while the upstream is unreachable', [], 503],
    ['answers /readyz 200 with the upstream unreachable under --no-upstream-readiness', ['--no-upstream-readiness'], 200],
  ])('%s', async (_name, flags, status) => {
    const until = Date.now() + 10_000;
    const second = memoryIo({ env: {} });
    const running = main(['serve', '--mapping', KNOWLEDGE_MAPPING, '--port', '0', '--admin-port', '0', '--no-watch', '--upstream', 'http://127.0.0.1:9', ...flags], second.io);
    let admin: string | undefined;
    while (!admin && Date.now() < until) {
      admin = /"admin":"([^"]+)"/.exec(second.output.stderr)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const ready = await fetch(`${admin}/readyz`);
    expect(ready.status).toBe(status);
    if (status === 503) expect(await ready.json()).toMatchObject({ status: 'not-ready' });
    expect((await fetch(`${admin}/healthz`)).status).toBe(200);
    second.stop();
    expect(await running).toBe(0);
  });
});

/** Starts `serve` in this process and waits for its "gateway listening" line. */
async function serveInProcess(args: string[]) {
  const terminal = memoryIo({ env: {} });
  const exit = main(['serve', '--mapping', KNOWLEDGE_MAPPING, '--port', '0', '--no-watch', ...args], terminal.io);
  const lines = () =>
    terminal.output.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const until = Date.now() + 10_000;
  let listening: Record<string, unknown> | undefined;
  while (!(listening = lines().find((line) => line.msg === 'gateway listening'))) {
    if (Date.now() > until) throw new Error(`the gateway did not start: ${terminal.output.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    listening: listening as { url: string; admin?: string },
    lines,
    stop: async () => {
      terminal.stop();
      return exit;
    },
  };
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('what serve exposes and logs', () => {
  it('with --host 0.0.0.0 publishes the traffic port only: the admin port stays on 127.0.0.1', async () => {
    const served = await serveInProcess(['--host', '0.0.0.0', '--admin-port', '0', '--upstream', services.v2.url]);
    try {
      const traffic = Number(new URL(served.listening.url).port);
      const admin = new URL(served.listening.admin!);
      expect(new URL(served.listening.url).hostname).toBe('0.0.0.0');
      expect(admin.hostname).toBe('127.0.0.1');
      // 127.0.0.2 is this machine too, but not the address 127.0.0.1: a socket bound to all
      // addresses accepts there, one bound to 127.0.0.1 alone refuses.
      expect(await accepts('127.0.0.2', traffic)).toBe(true);
      expect(await accepts('127.0.0.2', Number(admin.port))).toBe(false);
      expect(await accepts('127.0.0.1', Number(admin.port))).toBe(true);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it('--log-level warn keeps the failures (with the upstream the client is not told) and drops the rest', async () => {
    // At warn even the "gateway listening" line is dropped, so the port is chosen here.
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const terminal = memoryIo({ env: {} });
    const exit = main(['serve', '--mapping', KNOWLEDGE_MAPPING, '--port', String(port), '--no-watch', '--log-level', 'warn', '--upstream', 'http://127.0.0.1:9'], terminal.io);
    const url = `http://127.0.0.1:${port}`;
    try {
      const until = Date.now() + 10_000;
      while (!(await accepts('127.0.0.1', port))) {
        if (Date.now() > until) throw new Error(`the gateway did not start: ${terminal.output.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const failed = await fetch(`${url}/tasks/1`);
      expect(failed.status).toBe(502);
      expect(await failed.text()).not.toContain('127.0.0.1:9');
      const notFound = await fetch(`${url}/nowhere`);
      expect(notFound.status).toBe(404);
      await notFound.arrayBuffer();
      const lines = () =>
        terminal.output.stderr
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      while (!lines().some((line) => line.msg === 'request') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(lines()).toEqual([expect.objectContaining({ level: 'warn', msg: 'request', path: '/tasks/1', status: 502, problem: 'upstream-unreachable', upstream: 'http://127.0.0.1:9' })]);
    } finally {
      terminal.stop();
      expect(await exit).toBe(0);
    }
  });
});


describe('rolling an endpoint back', () => {
  it('to legacy by one edit of the mapping: within a second, with no request dropped', async () => {
    const v1 = await startRecordingUpstream(() => json({ side: 'v1' }));
    // A slow v2, so that requests are in flight while the table changes under them.
    const v2 = await startRecordingUpstream(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return json({ data: { side: 'v2' } });
    });
    const workspace = await tempDir();
    const text = (mode: string) => ['name: rollback', `upstream: ${v2.url}`, `legacy: ${v1.url}`, 'endpoints:', '  - id: thing', '    v1: GET /v1/thing', '    v2: GET /v2/thing', `    mode: ${mode}`, '    response: [{ unwrap: body.data }]', ''].join('\n');
    const file = await workspace.write('mapping.yaml', text('translate'));
    const terminal = memoryIo({ env: {} });
    const exit = main(['serve', '--mapping', file, '--port', '0'], terminal.io);
    try {
      let url: string | undefined;
      while (!url) {
        url = /"url":"([^"]+)"/.exec(terminal.output.stderr)?.[1];
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const answers: Array<{ status: number; side: string; began: number; at: number }> = [];
      const ask = async () => {
        const began = performance.now();
        const response = await fetch(`${url}/v1/thing`);
        const body = (await response.json()) as { side: string };
        answers.push({ status: response.status, side: body.side, began, at: performance.now() });
      };
      for (let i = 0; i < 5; i++) await ask();
      let edited = Number.POSITIVE_INFINITY;
      const switchedSince = () => answers.filter((answer) => answer.side === 'v1' && answer.began > edited).length;
      // Four clients keep asking throughout: before, during and after the edit.
      const clients = Array.from({ length: 4 }, async () => {
        while (switchedSince() < 10 && performance.now() - Math.min(edited, performance.now()) < 5_000) await ask();
      });
      await new Promise((resolve) => setTimeout(resolve, 250));
      edited = performance.now();
      await workspace.write('mapping.yaml', text('legacy'));
      await Promise.all(clients);
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      // Requests begun before the edit finish on the table they started with.
      expect(answers.filter((answer) => answer.began < edited).every((answer) => answer.side === 'v2')).toBe(true);
      expect(answers.some((answer) => answer.began < edited && answer.at > edited)).toBe(true);
      const switched = answers.find((answer) => answer.side === 'v1')!;
      expect(switched.at - edited).toBeLessThan(1_000);
      // Once switched, it stays switched.
      expect(answers.filter((answer) => answer.began >= switched.at).every((answer) => answer.side === 'v1')).toBe(true);
      expect(terminal.output.stderr).toContain('"mapping reloaded"');
    } finally {
      terminal.stop();
      await exit;
      await workspace.remove();
      await v1.close();
      await v2.close();
    }
  });
});
