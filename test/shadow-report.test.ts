import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startExampleServices, type ExampleServices } from '../examples/knowledge/start.js';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument } from '../src/core/model/mapping.js';
import type { CompatReport } from '../src/core/model/report.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { validateAgainstSchema } from '../src/io/schema-validation.js';
import { createAdminApp, GatewayMetrics } from '../src/server/admin.js';
import { startGateway } from '../src/server/gateway.js';
import { listen } from '../src/server/listen.js';
import { rolloutOf } from '../src/server/rollout.js';
import { runCli, tempDir } from './support/cli-harness.js';
import { KNOWLEDGE_MAPPING } from './support/example-stack.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * `api-compat shadow-report`: a real gateway in shadow mode on loopback, between a real legacy
 * API and a real v2, takes traffic; the command fetches GET /shadow/report from its admin port
 * and writes the report folder as `api-compat check` does. The written files are what is judged.
 */

type Recording = Awaited<ReturnType<typeof startRecordingUpstream>>;
let legacy: Recording;
let v2: Recording;
/** What v2 puts under `data` (the mapping unwraps it): the same as legacy, or not. */
let v2Side = 'v2';
let out: Awaited<ReturnType<typeof tempDir>>;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  legacy = await startRecordingUpstream((request) => json({ side: 'legacy', path: request.rawTarget.split('?')[0], secret: 'in the body' }));
  v2 = await startRecordingUpstream((request) => json({ data: { side: v2Side === 'same' ? 'legacy' : v2Side, path: request.rawTarget.split('?')[0]!.replace('/v2/', '/v1/'), secret: 'in the body' } }));
  out = await tempDir();
});
afterAll(async () => {
  await legacy?.close();
  await v2?.close();
  await out?.remove();
});
afterEach(async () => {
  v2Side = 'v2';
  while (cleanups.length) await cleanups.pop()!();
});

function mapping(modes: { thing?: 'shadow' | 'translate'; other?: 'shadow' | 'translate' } = { thing: 'shadow', other: 'shadow' }): MappingDocument {
  return {
    name: 'shadowed things',
    upstream: v2.url,
    legacy: legacy.url,
    endpoints: [
      { id: 'thing', v1: 'GET /v1/thing/{id}', v2: 'GET /v2/thing/{id}', response: [{ unwrap: 'body.data' }], mode: modes.thing ?? 'translate' },
      { id: 'other', v1: 'GET /v1/other', v2: 'GET /v2/other', response: [{ unwrap: 'body.data' }, { rename: { from: 'body.never', to: 'body.seen' } }], mode: modes.other ?? 'translate' },
    ],
  };
}

async function stack(document: MappingDocument, token?: string) {
  const { table, diagnostics } = compileMapping(document);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const gateway = await startGateway({ table: table!, document, rollout: rolloutOf(document) });
  cleanups.push(() => gateway.close());
  const admin = await listen(createAdminApp(gateway.gateway, new GatewayMetrics({ processMetrics: false }), { draining: false }, { token }));
  cleanups.push(() => admin.close());
  return { gateway, admin: admin.url };
}

async function send(url: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }
}

async function written(dir: string): Promise<{ report: CompatReport; files: string[]; md: string; html: string; junit: string }> {
  const files = (await readdir(dir)).sort();
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  return { report: JSON.parse(await read('report.json')) as CompatReport, files, md: await read('report.md'), html: await read('report.html'), junit: await read('junit.xml') };
}

describe('api-compat shadow-report', () => {
  it('writes a checker report of the shadow traffic: counts per endpoint, mismatches with their place, blocked', async () => {
    const { gateway, admin } = await stack(mapping());
    await send(`${gateway.url}/v1/thing/1`, 3);
    await send(`${gateway.url}/v1/other?api_key=s3cr3t-value`, 2);
    const run = await runCli(['shadow-report', '--admin', admin, '--out', out.dir]);
    expect(run.stderr).toBe('');
    // Blocked: the translation differs from legacy.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/suite shadow shadowed things: score [\d.]+\/100, blocked/);

    const folder = join(out.dir, 'shadow-shadowed-things');
    const runs = (await readdir(folder)).filter((name) => !name.startsWith('.'));
    expect(runs).toContain('latest');
    expect(runs.filter((name) => name !== 'latest')).toHaveLength(1);
    const { report, files, md, html, junit } = await written(join(folder, 'latest'));
    expect(files).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(validateAgainstSchema('report', report)).toEqual([]);

    expect(report.run.source).toEqual({ kind: 'shadow', upstream: v2.url, exchanges: 5, dropped: 0, queued: 0 });
    expect(report.run.targets).toEqual({ v1: legacy.url });
    expect(report.summary.verdict).toBe('blocked');
    expect(report.summary.scenarios).toEqual({ identical: 0, equivalent: 0, different: 2, error: 0 });
    expect(report.endpoints.map((e) => [e.id, e.verdict, e.scenarios])).toEqual([
      ['other', 'blocked', ['shadow traffic: other']],
      ['thing', 'blocked', ['shadow traffic: thing']],
    ]);
    const thing = report.endpoints.find((e) => e.id === 'thing')!;
    expect(thing.components.find((c) => c.name === 'fidelity')).toMatchObject({ value: 0, detail: '0 of 3 observed exchanges identical modulo noise and explained differences' });
    // Coverage from the steps the translated exchanges ran: `other`'s rename never found its field.
    expect(thing.components.find((c) => c.name === 'coverage')).toMatchObject({ value: 1 });
    expect(report.endpoints.find((e) => e.id === 'other')!.unexercisedRules).toEqual(['/endpoints/1/response/1']);
    expect(thing.latencyRatio).toBeGreaterThan(0);

    const scenario = report.scenarios.find((s) => s.name === 'shadow traffic: thing')!;
    expect(scenario.differences).toContainEqual(expect.objectContaining({ pointer: '/body/side', label: 'unexplained', v1: 'legacy', actual: 'v2', endpoint: 'thing', reason: expect.stringContaining('GET /v1/thing/1') }));
    expect(scenario.latency.v1?.samples).toBe(3);
    expect(scenario.latency.gateway?.samples).toBe(3);
    expect(report.rootCauses?.[0]).toMatchObject({ place: 'body.side', scenarios: 2 });
    // A credential in the query never reaches the report, whichever file.
    for (const text of [JSON.stringify(report), md, html, junit]) expect(text).not.toContain('s3cr3t-value');
    expect(md).toContain('Source: live shadow traffic');
    expect(html).toContain('Source: live shadow traffic');
    expect(junit).toContain('shadow traffic: thing');
  });

  it('says ready-via-gateway when every shadowed exchange matched, and leaves translated endpoints out', async () => {
    v2Side = 'same';
    const { gateway, admin } = await stack(mapping({ thing: 'shadow', other: 'translate' }));
    await send(`${gateway.url}/v1/thing/7`, 4);
    await send(`${gateway.url}/v1/other`);
    const run = await runCli(['shadow-report', '--admin', admin, '--out', out.dir, '--format', 'md']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const latest = join(out.dir, 'shadow-shadowed-things', 'latest');
    expect((await readdir(latest)).sort()).toEqual(['report.json', 'report.md']);
    const report = JSON.parse(await readFile(join(latest, 'report.json'), 'utf8')) as CompatReport;
    expect(validateAgainstSchema('report', report)).toEqual([]);
    expect(report.summary).toMatchObject({ verdict: 'ready-via-gateway', scenarios: { identical: 1, equivalent: 0, different: 0, error: 0 }, differences: { unexplained: 0, explained: 0, noise: 0 } });
    expect(report.endpoints.map((e) => [e.id, e.verdict])).toEqual([['thing', 'ready-via-gateway']]);
    expect(report.endpoints[0]!.components.find((c) => c.name === 'fidelity')).toMatchObject({ value: 1, detail: expect.stringMatching(/^4 of 4 observed exchanges/) });
    expect(report.run.source?.exchanges).toBe(4);
  });

  it('holds the verdict at incomplete while a shadowed endpoint has seen no traffic', async () => {
    v2Side = 'same';
    const { gateway, admin } = await stack(mapping());
    await send(`${gateway.url}/v1/thing/7`);
    const run = await runCli(['shadow-report', '--admin', admin, '--out', out.dir]);
    expect(run.code).toBe(1);
    const report = JSON.parse(await readFile(join(out.dir, 'shadow-shadowed-things', 'latest', 'report.json'), 'utf8')) as CompatReport;
    expect(report.summary.verdict).toBe('incomplete');
    expect(report.untested).toEqual(['other']);
  });

  it('counts translations that failed (v2 down) as errors that block, without slowing the client', async () => {
    const gone = await startRecordingUpstream(() => json({}));
    const closedUrl = gone.url;
    await gone.close();
    const { gateway, admin } = await stack({ ...mapping({ thing: 'shadow' }), upstream: closedUrl });
    await send(`${gateway.url}/v1/thing/3`, 2);
    const run = await runCli(['shadow-report', '--admin', admin, '--out', out.dir, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(await readFile(join(out.dir, 'shadow-shadowed-things', 'latest', 'report.json'), 'utf8')) as CompatReport;
    const scenario = report.scenarios.find((s) => s.name === 'shadow traffic: thing')!;
    expect(scenario).toMatchObject({ outcome: 'error', error: '2 of 2 translations of shadowed requests could not be compared (v2 unreachable, or the translation failed)' });
    const thing = report.endpoints.find((e) => e.id === 'thing')!;
    expect(thing.verdict).toBe('blocked');
    expect(thing.components.find((c) => c.name === 'error-rate')).toMatchObject({ value: 0, detail: 'failed (5xx or no answer): gateway 2/2, v1 0/2' });
    expect(report.run.source).toMatchObject({ exchanges: 2 });
  });

  it('is served as report JSON at GET /shadow/report, behind the admin token', async () => {
    const { gateway, admin } = await stack(mapping(), 'admin-secret');
    await send(`${gateway.url}/v1/thing/2`);
    expect((await fetch(`${admin}/shadow/report`)).status).toBe(401);
    const response = await fetch(`${admin}/shadow/report`, { headers: { authorization: 'Bearer admin-secret' } });
    expect(response.status).toBe(200);
    const report = (await response.json()) as CompatReport;
    expect(validateAgainstSchema('report', report)).toEqual([]);
    expect(report.endpoints.find((e) => e.id === 'thing')?.verdict).toBe('blocked');
  });

  it('refuses a wrong or missing token in one line, exit 2', async () => {
    const { admin } = await stack(mapping(), 'admin-secret');
    const wrong = await runCli(['shadow-report', '--admin', admin, '--admin-token', 'guess', '--out', out.dir]);
    expect([wrong.code, wrong.stderr]).toEqual([2, `api-compat shadow-report: the admin port ${admin} refused the token (401): pass the token the gateway was started with (--admin-token or API_COMPAT_ADMIN_TOKEN)\n`]);
    const missing = await runCli(['shadow-report', '--admin', admin, '--out', out.dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^api-compat shadow-report: the admin port \S+ needs a bearer token \(401\): pass --admin-token/);
    // The same variable serve reads its token from.
    vi.stubEnv('API_COMPAT_ADMIN_TOKEN', 'admin-secret');
    const fromEnv = await runCli(['shadow-report', '--admin', admin, '--out', out.dir]);
    vi.unstubAllEnvs();
    expect(fromEnv.stderr).toBe('');
    expect(fromEnv.code).toBe(1);
  });

  it('says so when the gateway shadows no endpoint (exit 2) or the URL is not an admin port (exit 2)', async () => {
    const { gateway, admin } = await stack(mapping({ thing: 'translate', other: 'translate' }));
    const none = await runCli(['shadow-report', '--admin', admin, '--out', out.dir]);
    expect([none.code, none.stderr]).toEqual([2, `api-compat shadow-report: the gateway at ${admin} shadows no endpoint, so there is nothing to report: set mode: shadow on the endpoints to compare in the mapping (the gateway reloads it)\n`]);
    // The traffic port passes the path to legacy, whose answer is no report.
    const traffic = await runCli(['shadow-report', '--admin', gateway.url, '--out', out.dir]);
    expect(traffic.code).toBe(2);
    expect(traffic.stderr).toMatch(/^api-compat shadow-report: \S+\/shadow\/report did not answer with a report \(\/: .*\): point --admin at the admin port of an api-compat serve of the same version\n$/);
    const { legacy: _legacy, ...withoutLegacy } = mapping({ thing: 'translate', other: 'translate' });
    const alone = await stack(withoutLegacy);
    const notFound = await runCli(['shadow-report', '--admin', alone.gateway.url, '--out', out.dir]);
    expect(notFound.code).toBe(2);
    expect(notFound.stderr).toMatch(/^api-compat shadow-report: \S+\/shadow\/report is not found \(404\): point --admin at the admin port of api-compat serve/);
  });
});

describe('shadow report over the bundled example', () => {
  let services: ExampleServices;
  beforeAll(async () => {
    services = await startExampleServices({ v1Port: 0, v2Port: 0 });
  });
  afterAll(() => services.close());

  it('finds the shadowed reads ready via the gateway, with the mapping rules they exercised', async () => {
    const loaded = await loadMappingFile(KNOWLEDGE_MAPPING, { env: { V2_URL: services.v2.url, V1_URL: services.v1.url } });
    const rollout = new Map([...rolloutOf(loaded.document)].map(([id, mode]) => [id, ['get-task', 'get-knowledge'].includes(id) ? { kind: 'shadow' as const, shadowSafe: false } : mode]));
    const gateway = await startGateway({ table: loaded.table, document: loaded.document, rollout });
    cleanups.push(() => gateway.close());
    const admin = await listen(createAdminApp(gateway.gateway, new GatewayMetrics({ processMetrics: false }), { draining: false }));
    cleanups.push(() => admin.close());
    for (const path of ['/tasks/1', '/tasks/2', '/api/v1/knowledge/1', '/api/v1/knowledge/2']) await send(`${gateway.url}${path}`);
    const run = await runCli(['shadow-report', '--admin', admin.url, '--out', out.dir, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(join(out.dir, 'shadow-knowledge-v1-to-v2', 'latest', 'report.json'), 'utf8')) as CompatReport;
    expect(report.endpoints.map((e) => [e.id, e.verdict])).toEqual([
      ['get-knowledge', 'ready-via-gateway'],
      ['get-task', 'ready-via-gateway'],
    ]);
    const task = report.endpoints.find((e) => e.id === 'get-task')!;
    // The Task resource's rules ran on the answers: coverage is measured, not assumed.
    expect(task.components.find((c) => c.name === 'coverage')!.detail).toMatch(/^mapped; \d+ of \d+ of its rules exercised$/);
    expect(report.unexercisedRules?.some((rule) => rule.startsWith('/resources/Task/'))).toBe(false);
  });
});
