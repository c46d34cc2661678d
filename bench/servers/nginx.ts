import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ProcessUsage } from './protocol.js';
import { stopProcess, type ServerUnderTest } from './launch.js';

/*
 * nginx as the C floor of a proxy hop: proxy_pass with upstream keep-alive, one worker (the Node
 * proxies are one process each), no access log, buffers large enough that a 100 KB answer never
 * touches disk. Optional: without nginx on the machine the bench reports it as skipped.
 * CPU time and RSS come from /proc, for the master and its worker together.
 */

const WELL_KNOWN = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/opt/homebrew/bin/nginx'];

/** The nginx binary, or undefined when it is not installed. */
export function findNginx(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'nginx'));
  for (const candidate of [...onPath, ...WELL_KNOWN]) {
    try {
      accessSync(candidate, constants.X_OK);
      if (spawnSync(candidate, ['-v']).status === 0) return candidate;
    } catch {
      // not here: try the next place
    }
  }
  return undefined;
}

export async function startNginx(binary: string, upstreamUrl: string): Promise<ServerUnderTest> {
  const prefix = await mkdtemp(join(tmpdir(), 'api-compat-bench-nginx-'));
  const port = await freePort();
  const upstream = new URL(upstreamUrl);
  await writeFile(join(prefix, 'nginx.conf'), nginxConfig(prefix, port, `${upstream.hostname}:${upstream.port}`));
  // stderr is piped, not inherited: an inherited descriptor would keep the bench's output pipe open.
  const master = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  master.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[nginx] ${chunk.toString()}`));
  // nginx does not notice its parent dying; make sure it never outlives the bench.
  const killOnExit = () => master.kill('SIGKILL');
  process.once('exit', killOnExit);
  master.once('exit', () => process.off('exit', killOnExit));
  try {
    await waitForPort(port, master);
  } catch (error) {
    master.kill('SIGKILL');
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: master.pid!,
    usage: () => processTreeUsage(master.pid!),
    stop: async () => {
      await stopMaster(master);
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

function nginxConfig(prefix: string, port: number, upstream: string): string {
  return `# written by bench/servers/nginx.ts for one benchmark run
daemon off;
master_process on;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'client-body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  keepalive_timeout 60s;
  keepalive_requests 1000000;
  upstream v2 {
    server ${upstream};
    keepalive 128;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://v2;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffer_size 16k;
      proxy_buffers 16 16k;
      proxy_max_temp_file_size 0;
    }
  }
}
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, master: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (master.exitCode !== null) throw new Error(`nginx exited with code ${master.exitCode} (see its messages above)`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on port ${port} within 10 s`);
}

let clockTicksPerSecond: number | undefined;

/** utime + stime of a process and its children (nginx's worker), from /proc. */
async function processTreeUsage(pid: number): Promise<ProcessUsage> {
  clockTicksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
  let ticks = 0;
  let rssBytes = 0;
  for (const member of [pid, ...children]) {
    const stat = await readFile(`/proc/${member}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    const status = await readFile(`/proc/${member}/status`, 'utf8');
    rssBytes += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }
  return { cpuMicros: (ticks / clockTicksPerSecond) * 1e6, rssBytes };
}

function stopMaster(master: ChildProcess): Promise<void> {
  return stopProcess(master, 3_000, () => master.kill('SIGTERM'));
}
