import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import { listen, type ListeningServer } from '../../src/server/listen.js';
import { runCli, STACK_FRAME, tempDir } from './support/cli.js';

/*
 * The v2 floor (the checker's own translated calls straight to v2) only measures the gateway's
 * overhead and rule coverage. When those calls fail in a way the upstream client does not turn
 * into a gateway problem (a body that stalls, a connection cut mid-body), the run still ends
 * with a report; the overhead is left out with the reason. The gateway's own calls carry an
 * x-request-id, the floor's do not: that is how v2 here tells them apart.
 */

let v1: ListeningServer;
let folder: { dir: string; remove: () => Promise<void> };
const servers: Server[] = [];

async function v2Server(onFloorCall: (response: ServerResponse) => void): Promise<string> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const body = '{"a":1}';
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    if (request.headers['x-request-id']) response.end(body);
    else onFloorCall(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  const legacy = new Hono();
  legacy.get('/x', (c) => c.json({ b: 1 }));
  v1 = await listen(legacy);
  folder = await tempDir();
});

afterAll(async () => {
  await v1?.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await folder?.remove();
});

async function check(name: string, v2: string): Promise<{ code: number; stderr: string; report: CompatReport }> {
  await writeFile(join(folder.dir, `${name}-mapping.yaml`), ['name: x', `upstream: ${v2}`, 'endpoints:', '  - { id: x, v1: "GET /x", v2: "GET /v2/x", response: [{ rename: { from: body.a, to: body.b } }] }'].join('\n'));
  const suite = join(folder.dir, `${name}.yaml`);
  await writeFile(suite, ['suite: floor', `mapping: ${name}-mapping.yaml`, 'scenarios:', '  - { name: one, request: GET /x }'].join('\n'));
  const out = join(folder.dir, `out-${name}`);
  const run = await runCli(['check', '--suite', suite, '--v1', v1.url, '--v2', v2, '--repeat', '2', '--warmup', '0', '--timeout', '300', '--out', out]);
  expect(run.stdout + run.stderr, 'no stack trace may reach the user').not.toMatch(STACK_FRAME);
  return { code: run.code, stderr: run.stderr, report: JSON.parse(await readFile(join(out, 'floor', 'latest', 'report.json'), 'utf8')) as CompatReport };
}

const latencyDetail = (report: CompatReport) => report.endpoints.find((e) => e.id === 'x')!.components.find((c) => c.name === 'latency')!.detail;

describe('a failure of the v2 floor', () => {
  it('a body that stalls for the checker: the run ends with a report, overhead unmeasured with the reason', async () => {
    const v2 = await v2Server((response) => response.write('{"a":'));
    const { code, stderr, report } = await check('stall', v2);
    expect(code).not.toBe(3);
    expect(report.scenarios[0]).toMatchObject({ name: 'one', outcome: 'identical' });
    expect(report.endpoints.find((e) => e.id === 'x')!.gatewayOverheadMs).toBeUndefined();
    expect(latencyDetail(report)).toMatch(/; gateway overhead not measured: v2 could not be reached from the checker \(.*(within 300 ms|in time).*\)$/);
    expect(stderr).toMatch(/^note: v2 at http:\/\/127\.0\.0\.1:\d+ could not be reached from the checker \(.*\); gateway overhead and rule coverage were not measured$/m);
  });

  it('a connection cut mid-body: the same', async () => {
    const v2 = await v2Server((response) => {
      response.write('{"a":');
      setTimeout(() => response.socket?.destroy(), 5);
    });
    const { code, report } = await check('cut', v2);
    expect(code).not.toBe(3);
    expect(report.scenarios[0]!.outcome).toBe('identical');
    expect(report.endpoints.find((e) => e.id === 'x')!.gatewayOverheadMs).toBeUndefined();
    expect(latencyDetail(report)).toMatch(/; gateway overhead not measured: (v2 could not be reached from the checker|the checker's own call to v2 failed) \(.+\)$/);
  });

  it('an answer it cannot translate: counted, and the floor goes on trying', async () => {
    const v2 = await v2Server((response) => response.end('{"a":1,'));
    const { code, stderr, report } = await check('garbled', v2);
    expect(code).not.toBe(3);
    expect(report.scenarios[0]!.outcome).toBe('identical');
    expect(latencyDetail(report)).toMatch(/; gateway overhead not measured: the checker's own call to v2 failed \(.*not valid JSON.*\)$/);
    expect(stderr).toMatch(/^note: 2 of the checker's own calls to v2 at http:\/\/127\.0\.0\.1:\d+ failed \(first: .+\); gateway overhead and rule coverage were measured only where they succeeded$/m);
  });
});
