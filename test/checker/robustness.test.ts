import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../../examples/knowledge/start.js';
import { createV1Service } from '../../examples/knowledge/v1-service.js';
import type { CompatReport } from '../../src/core/model/report.js';
import { loadMappingFile } from '../../src/io/load-mapping.js';
import { Gateway } from '../../src/server/gateway.js';
import { listen, type ListeningServer } from '../../src/server/listen.js';
import { runCli, STACK_FRAME, tempDir, type CliRun } from './support/cli.js';

/*
 * Targets that go away, hang or answer garbage: the run always ends with a report, the affected
 * scenarios are `error` with the reason, and no stack trace reaches the user. Misbehaving
 * targets are real loopback servers in front of the real example services.
 */

let services: ExampleServices;
let folder: { dir: string; remove: () => Promise<void> };
const started: Array<{ close(): Promise<void> | void }> = [];

beforeAll(async () => {
  services = await startExampleServices({ v1Port: 0, v2Port: 0 });
  folder = await tempDir();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await services?.close();
  await folder?.remove();
});

type Fetch = (request: Request) => Response | Promise<Response>;

/** Serves `fetch` until `stopAfter` requests have been answered, then dies like a killed process. */
async function front(fetch: Fetch, options: { stopAfter?: number; onRequest?: (count: number) => void } = {}): Promise<ListeningServer> {
  let count = 0;
  const server: ListeningServer = await listen({
    fetch: (request) => {
      count++;
      options.onRequest?.(count);
      if (options.stopAfter !== undefined && count > options.stopAfter) {
        const http = server.server as HttpServer;
        http.close();
        http.closeAllConnections();
      }
      return fetch(request);
    },
  });
  started.push({
    close: () =>
      new Promise<void>((done) => {
        const http = server.server as HttpServer;
        http.close(() => done());
        http.closeAllConnections();
      }),
  });
  return server;
}

async function check(name: string, args: string[], stop?: AbortSignal): Promise<CliRun & { report: CompatReport }> {
  const out = join(folder.dir, name);
  const run = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--repeat', '2', '--warmup', '0', '--out', out, ...args], { stop });
  expect(run.stdout + run.stderr, 'no stack trace may reach the user').not.toMatch(STACK_FRAME);
  const report = JSON.parse(await readFile(join(out, 'knowledge', 'latest', 'report.json'), 'utf8')) as CompatReport;
  return { ...run, report };
}

const outcomes = (report: CompatReport) => Object.fromEntries(report.scenarios.map((s) => [s.name, s.outcome]));

describe('a target that stops mid-run', () => {
  it('v1: the scenarios after it are errors with the reason, and the report is written', async () => {
    // One request to see v1 answers at all, then each single-request scenario asks v1 three
    // times (twice in the judged round, once more).
    const v1 = await front((request) => createV1Service().app.fetch(request), { stopAfter: 7 });
    const { code, report, stdout } = await check('v1-stops', ['--tag', 'knowledge', '--tag', 'read', '--v1', v1.url, '--v2', services.v2.url]);
    expect(code).toBe(1);
    expect(report.partial).toBe(false);
    const errors = report.scenarios.filter((s) => s.outcome === 'error');
    expect(report.scenarios.length - errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const scenario of errors) expect(scenario.error).toMatch(/^(reset v1|v1, step \d+: .*(refused the connection|closed the connection))/);
    expect(stdout).toMatch(/scenarios that could not be judged/);
  });

  it('the gateway: the same, with the gateway named', async () => {
    const { table } = await loadMappingFile('mappings/knowledge.yaml', { env: { V2_URL: services.v2.url } });
    const gateway = new Gateway({ table });
    started.push(gateway);
    const proxy = await front((request) => gateway.fetch(request), { stopAfter: 4 });
    const { code, report } = await check('gateway-stops', ['--tag', 'search', '--v1', services.v1.url, '--gateway', proxy.url, '--v2', services.v2.url]);
    expect(code).toBe(1);
    expect(outcomes(report)).toMatchObject({ 'search by keyword': 'equivalent', 'search without a query': 'error' });
    expect(report.scenarios.find((s) => s.name === 'search without a query')!.error).toMatch(/^gateway, step 0: GET \/api\/v1\/search: http:\/\/127\.0\.0\.1:\d+ (refused|closed) the connection/);
    expect(report.endpoints.find((e) => e.id === 'search')).toMatchObject({ verdict: 'blocked' });
  });
});

describe('a v2 the checker itself cannot reach', () => {
  it('runs against a running gateway anyway, and says overhead and rule coverage went unmeasured', async () => {
    const { table } = await loadMappingFile('mappings/knowledge.yaml', { env: { V2_URL: services.v2.url } });
    const gateway = new Gateway({ table });
    started.push(gateway);
    const running = await front((request) => gateway.fetch(request));
    const mapping = join(folder.dir, 'unreachable-upstream.yaml');
    await writeFile(mapping, (await readFile('mappings/knowledge.yaml', 'utf8')).replace('${V2_URL:-http://127.0.0.1:4002}', 'http://127.0.0.1:1'));
    const { code, report, stderr } = await check('no-floor', ['--tag', 'search', '--mapping', mapping, '--v1', services.v1.url, '--gateway', running.url]);
    expect(report.summary.scenarios.error).toBe(0);
    // Only the search scenarios ran: whatever they show, the run cannot say the API is ready.
    expect(report.summary).toMatchObject({ verdict: 'incomplete', incomplete: expect.arrayContaining([expect.stringMatching(/only scenarios tagged search ran/)]) });
    expect(code).toBe(1);
    expect(report.endpoints.find((e) => e.id === 'search')!.gatewayOverheadMs).toBeUndefined();
    expect(stderr).toMatch(/^note: v2 at http:\/\/127\.0\.0\.1:1 could not be reached from the checker \(.*ECONNREFUSED.*\); gateway overhead and rule coverage were not measured; pass --v2$/m);
  });
});

describe('a target that is slow or answers garbage', () => {
  it('slower than --timeout: error naming the timeout', async () => {
    const v1App = createV1Service().app;
    const slow = await front(async (request) => {
      if (new URL(request.url).pathname === '/api/v1/knowledge/3') await new Promise((resolve) => setTimeout(resolve, 1_500));
      return v1App.fetch(request);
    });
    const { report } = await check('slow', ['--tag', 'read', '--tag', 'knowledge', '--timeout', '300', '--v1', slow.url, '--v2', services.v2.url]);
    const scenario = report.scenarios.find((s) => s.name === 'read an item without related items')!;
    expect(scenario.outcome).toBe('error');
    expect(scenario.error).toBe(`v1, step 0: GET /api/v1/knowledge/3: no answer from ${slow.url} within 300 ms (--timeout)`);
    expect(outcomes(report)['read an item with related items']).toBe('equivalent');
  });

  it('invalid JSON or something that is not HTTP: error saying so', async () => {
    const v1App = createV1Service().app;
    const garbled = await front((request) =>
      new URL(request.url).pathname === '/api/v1/knowledge/1' ? new Response('{"id": 1, oops', { headers: { 'content-type': 'application/json' } }) : v1App.fetch(request),
    );
    const junk: Server = createServer((socket) => socket.end('220 this is not HTTP\r\n\r\n', () => socket.destroy()));
    await new Promise<void>((resolve) => junk.listen(0, '127.0.0.1', resolve));
    started.push({ close: () => new Promise<void>((done) => junk.close(() => done())) });
    const junkUrl = `http://127.0.0.1:${(junk.address() as { port: number }).port}`;

    const json = await check('garbled', ['--tag', 'read', '--tag', 'knowledge', '--v1', garbled.url, '--v2', services.v2.url]);
    expect(json.report.scenarios.find((s) => s.name === 'read an item with related items')!.error).toMatch(/^v1, step 0: GET \/api\/v1\/knowledge\/1: answered application\/json that is not valid JSON/);
    // A gateway that does not speak HTTP is found before the first scenario: nothing is run or written.
    const http = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--out', join(folder.dir, 'not-http'), '--v1', services.v1.url, '--gateway', junkUrl, '--v2', services.v2.url]);
    expect(http.code).toBe(3);
    expect(http.stderr).toMatch(/nothing answers before the first scenario.*\n {2}gateway at http:\/\/127\.0\.0\.1:\d+: .*answered with something that is not HTTP/);
    await expect(readFile(join(folder.dir, 'not-http', 'knowledge', 'latest', 'report.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('a target nobody listens on', () => {
  it('ends the run before the first scenario with exit 3, a short message, and latest/ left as it was', async () => {
    const out = join(folder.dir, 'down');
    const before = await check('down', ['--tag', 'search', '--v1', services.v1.url, '--v2', services.v2.url]);
    const latest = join(out, 'knowledge', 'latest', 'report.json');
    const kept = await readFile(latest, 'utf8');
    const closed = await front(() => new Response('')); // a port that was just freed
    await Promise.all(started.splice(0).map((server) => server.close()));
    const run = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--out', out, '--v1', closed.url, '--v2', services.v2.url]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^api-compat check: nothing answers before the first scenario, so no scenario ran and no report was written:\n  v1 at ${closed.url}: .*refused the connection`));
    expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout.split('\n').length).toBeLessThan(4);
    expect(await readFile(latest, 'utf8')).toBe(kept);
    expect(before.report.scenarios.length).toBeGreaterThan(0);
  });
});

describe('exit codes and interruption', () => {
  it('--min-score fails a run that is otherwise ready but scores under it', async () => {
    // Only the search scenarios, with the other endpoints accepted as untested: ready, scoring under 95.
    const suite = join(folder.dir, 'search-only.yaml');
    const bundled = await readFile('scenarios/knowledge.yaml', 'utf8');
    const searches = bundled.slice(bundled.indexOf('  - name: search by keyword\n'), bundled.indexOf('  # --- knowledge: writes'));
    await writeFile(suite, [`suite: knowledge`, `mapping: ${join(process.cwd(), 'mappings/knowledge.yaml')}`, 'scenarios:', searches].join('\n'));
    const args = ['--suite', suite, '--allow-untested', '--v1', services.v1.url, '--v2', services.v2.url];
    const ready = await check('min-score-unset', args);
    expect(ready.code).toBe(0);
    expect(ready.report.summary.verdict).toBe('ready-via-gateway');
    expect(ready.report.summary.score).toBeLessThan(95);
    const strict = await check('min-score', [...args, '--min-score', '95']);
    expect(strict.code).toBe(1);
    expect(strict.report.summary.minScore).toBe(95);
    const lenient = await check('min-score-low', [...args, '--min-score', String(Math.floor(ready.report.summary.score))]);
    expect(lenient.code).toBe(0);
  });

  it('Ctrl-C writes a partial report of the scenarios that finished', async () => {
    const controller = new AbortController();
    const v1App = createV1Service().app;
    const v1 = await front((request) => v1App.fetch(request), { onRequest: (count) => count === 8 && controller.abort() });
    const { code, report, stderr } = await check('interrupted', ['--tag', 'read', '--v1', v1.url, '--v2', services.v2.url], controller.signal);
    expect(code).toBe(3);
    expect(report.partial).toBe(true);
    // Whatever the finished scenarios showed, a partial run is never ready.
    expect(report.summary.verdict === 'blocked' || report.summary.verdict === 'incomplete').toBe(true);
    expect(report.summary.incomplete).toContainEqual(expect.stringMatching(/interrupted/));
    expect(report.scenarios.length).toBeGreaterThanOrEqual(1);
    expect(report.scenarios.length).toBeLessThan(8);
    expect(report.scenarios.every((s) => s.outcome !== 'error')).toBe(true);
    expect(stderr).toContain('interrupted; the report holds the scenarios that finished and is marked partial');
  });
});
