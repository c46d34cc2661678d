import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The package as a user gets it: `npm pack` builds the tarball npm would publish, a fresh project
 * folder elsewhere installs it, and the installed `api-compat` binary lints and serves a mapping of
 * that project's own, with a TypeScript step module beside it. This catches what a test run from
 * the repository cannot: a file missing from `files`, a dependency kept in devDependencies, a path
 * resolved against the current folder instead of the package.
 */

const run = promisify(execFile);
const REPOSITORY = new URL('..', import.meta.url).pathname;
// npm ci has filled npm's cache with every dependency, so the install needs the registry only for
// what is not there yet.
const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save'];

let work: string;
let project: string;
let binary: string;
let v2: Server;
let v2Url: string;
const v2Seen: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'api-compat-package-'));
  await run('npm', ['pack', '--pack-destination', work], { cwd: REPOSITORY, timeout: 60_000 });
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
  project = join(work, 'consumer');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  await run('npm', [...NPM_INSTALL, join(work, tarball)], { cwd: project, timeout: 180_000 });
  binary = join(project, 'node_modules', '.bin', 'api-compat');

  await writeFile(join(project, 'orders.yaml'), [
    'name: orders',
    'upstream: ${V2_URL}',
    'endpoints:',
    '  - id: get-order',
    '    v1: GET /v1/orders/{id}',
    '    v2: GET /v2/orders/{id}',
    '    response:',
    '      - rename: { from: body.total_cents, to: body.total }',
    '      - scale: { field: body.total, v1: [0, 1], v2: [0, 100], decimals: { v1: 2, v2: 0 } }',
    '      - fn: ./order-steps.ts#markServed',
  ].join('\n') + '\n');
  await writeFile(join(project, 'order-steps.ts'), [
    'interface Message { headers: Record<string, string | string[]> }',
    'export function markServed(message: Message): void {',
    "  message.headers['x-served-by'] = 'api-compat';",
    '}',
  ].join('\n') + '\n');

  v2 = createServer((request, response) => {
    v2Seen.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ id: 7, total_cents: 1250 }));
  });
  v2.listen(0, '127.0.0.1');
  await once(v2, 'listening');
  v2Url = `http://127.0.0.1:${(v2.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  v2?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the npm package installed into another project', () => {
  it('prints its version', async () => {
    const { stdout } = await run(binary, ['--version'], { cwd: project });
    const { version } = JSON.parse(await readFile(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string };
    expect(stdout.trim()).toBe(version);
  });

  it('lints a mapping of the project, with its TypeScript module', async () => {
    const { stdout } = await run(binary, ['lint', 'orders.yaml'], { cwd: project, env: { ...process.env, V2_URL: 'http://127.0.0.1:1' } });
    expect(stdout).toContain('orders.yaml: ok (1 endpoint');
  });

  it('lints the mappings it ships', async () => {
    const { stdout } = await run(binary, ['lint', 'node_modules/api-compat/mappings/'], { cwd: project, env: { ...process.env, V2_URL: 'http://127.0.0.1:1' } });
    expect(stdout).toMatch(/knowledge\.yaml: ok/);
    expect(stdout).toMatch(/catalog\.yaml: ok/);
  });

  it('serves the mapping: v1 in, v2 out, and stops on SIGTERM', async () => {
    const gateway = spawn(binary, ['serve', '--mapping', 'orders.yaml', '--port', '0', '--no-watch'], { cwd: project, env: { ...process.env, V2_URL: v2Url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    gateway.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = once(gateway, 'exit');
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the installed gateway did not start; it wrote:\n${stderr}`)), 30_000);
        gateway.stderr.on('data', () => {
          const line = stderr.split('\n').find((entry) => entry.includes('"gateway listening"'));
          if (line) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { url: string }).url);
          }
        });
        void exited.then(() => reject(new Error(`the installed gateway exited before listening; it wrote:\n${stderr}`)));
      });
      const response = await fetch(`${url}/v1/orders/7`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-served-by')).toBe('api-compat');
      expect(await response.json()).toEqual({ id: 7, total: 12.5 });
      expect(v2Seen).toContain('GET /v2/orders/7');
    } finally {
      gateway.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
