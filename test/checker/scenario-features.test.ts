import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import type { ListeningServer } from '../../src/server/listen.js';
import { startCheckWorkspace, type CheckWorkspace } from './support/check-workspace.js';
import { runCli } from './support/cli.js';

/*
 * Suite features end to end against two tiny services whose answers differ in every way a
 * matcher is for: per-side ids (captured per side), reordered tags, a rounded score, a shifted
 * timestamp, a secret. Resets are a shell command on v1 (with V1_URL in its environment) and
 * an HTTP call on v2, and both services count them.
 */

const TOKEN = 't0k-3n';
let v1: ListeningServer;
let v2: ListeningServer;
let folder: CheckWorkspace['folder'];
let closeWorkspace: (() => Promise<void>) | undefined;
const resets = { v1: 0, v2: 0 };

interface Item {
  id: number | string;
  name: string;
}

function service(side: 'v1' | 'v2'): Hono {
  const app = new Hono();
  let items = new Map<string, Item>();
  let next = side === 'v1' ? 100 : 500;
  app.post('/__reset', (c) => {
    resets[side]++;
    items = new Map();
    next = side === 'v1' ? 100 : 500;
    return c.body(null, 204);
  });
  const shape = (item: Item) =>
    side === 'v1'
      ? { ...item, tags: ['a', 'b', 'c'], score: 0.5, updated_at: '2026-01-01T00:00:00Z', token: 'v1-secret' }
      : { ...item, tags: ['c', 'a', 'b'], score: 0.52, updated_at: '2026-01-01T00:00:05Z', token: 'v2-secret' };
  const prefix = side === 'v1' ? '' : '/v2';
  app.use('*', async (c, next) => (side === 'v1' && c.req.path !== '/__reset' && c.req.header('authorization') !== `Bearer ${TOKEN}` ? c.json({ error: 'unauthorized' }, 401) : next()));
  app.post(`${prefix}/items`, async (c) => {
    const { name } = (await c.req.json()) as { name: string };
    const item = { id: side === 'v1' ? next : String(next), name };
    next++;
    items.set(String(item.id), item);
    if (side === 'v1') c.header('Location', `/items/${item.id}`);
    return c.json(shape(item), side === 'v1' ? 201 : 200);
  });
  app.get(`${prefix}/items/:id`, (c) => {
    const item = items.get(c.req.param('id'));
    return item ? c.json(shape(item)) : c.json({ error: 'not found' }, 404);
  });
  return app;
}

beforeAll(async () => {
  ({ v1, v2, folder, close: closeWorkspace } = await startCheckWorkspace(service('v1'), service('v2')));
  await writeFile(
    join(folder.dir, 'mapping.yaml'),
    [
      'name: items',
      'upstream: http://127.0.0.1:1',
      'resources:',
      '  Item:',
      '    - coerce: { field: id, v1: integer, v2: string }',
      'endpoints:',
      '  - id: create-item',
      '    v1: POST /items',
      '    v2: POST /v2/items',
      '    response: [{ status: { 200: 201 } }, { resource: { at: body, is: Item } }, { header: { name: Location, value: "/items/${body.id}" } }]',
      '  - { id: get-item, v1: "GET /items/{id}", v2: "GET /v2/items/{id}", response: [{ resource: { at: body, is: Item } }] }',
    ].join('\n'),
  );
  await writeFile(
    join(folder.dir, 'suite.yaml'),
    [
      'suite: features',
      'mapping: mapping.yaml',
      'headers: { Authorization: "Bearer ${FEATURE_TOKEN}" }',
      'reset:',
      `  v1: { command: "node -e \\"fetch(process.env.V1_URL + '/__reset', { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1))\\"" }`,
      '  v2: POST /__reset',
      'redact: [body.token]',
      'match:',
      '  body.id: type',
      '  body.tags: unordered',
      '  body.score: { tolerance: 0.05 }',
      '  headers.location: { regex: "^/items/\\\\d+$" }',
      'scenarios:',
      '  - name: create and read back',
      '    tags: [write]',
      '    reset: true',
      '    repeat: 4',
      '    match: { body.updated_at: { timestamp: 10s } }',
      '    steps:',
      '      - request: { method: POST, path: /items, body: { name: n } }',
      '        expect: { status: 201, headers: { location: { $regex: "^/items/\\\\d+$" } }, body: { id: { $type: integer } } }',
      '        capture: { id: body.id }',
      '      - request: GET /items/${id}',
      '        expect: { status: 200, body: { name: n } }',
      '  - name: read one that is not there',
      '    tags: [read]',
      '    request: GET /items/1',
      '    expect: { status: 404 }',
    ].join('\n'),
  );
});

afterAll(() => closeWorkspace?.());

async function check(out: string, extra: string[] = []) {
  const run = await runCli(['check', '--suite', join(folder.dir, 'suite.yaml'), '--v1', v1.url, '--v2', v2.url, '--warmup', '0', '--repeat', '2', '--out', join(folder.dir, out), ...extra], { env: { FEATURE_TOKEN: TOKEN } });
  const text = await readFile(join(folder.dir, out, 'features', 'latest', 'report.json'), 'utf8');
  return { ...run, text, report: JSON.parse(text) as CompatReport };
}

describe('suite features', () => {
  it('captures per side, resets before every run, and lets matchers accept what they name', async () => {
    resets.v1 = resets.v2 = 0;
    const { report } = await check('flow', ['--tag', 'write']);
    expect(report.scenarios.map((s) => s.name)).toEqual(['create and read back']);
    // Four measured rounds, each starting with one reset per side; the judged round also resets
    // v1 once more for the noise run and v2 once more for the floor (which runs in that round only,
    // since every round starts from the same reset state).
    expect(resets).toEqual({ v1: 5, v2: 5 });
    const [flow] = report.scenarios;
    expect(flow!.statuses).toEqual({ v1: [201, 200], gateway: [201, 200] });
    expect(flow!.expectations).toEqual([]);
    expect(flow!.latency.v1!.samples).toBe(4);
    const accepted = (step: number) => flow!.differences.filter((d) => d.step === step && d.label === 'noise').map((d) => [d.pointer, d.reason]);
    expect(accepted(0)).toEqual([
      ['/body/id', 'accepted by matcher: type-only'],
      ['/body/score', 'accepted by matcher: tolerance 0.05'],
      ['/body/tags', 'accepted by matcher: unordered array'],
      ['/body/updated_at', 'accepted by matcher: timestamp within 10s'],
      ['/headers/location', 'accepted by matcher: regex ^/items/\\d+$'],
    ]);
    expect(flow!.differences.filter((d) => d.label === 'unexplained').map((d) => [d.step, d.pointer])).toEqual([
      [0, '/body/token'],
      [1, '/body/token'],
    ]);
  });

  it('keeps the credentials it sends and the fields it is told to redact out of the report', async () => {
    const { text, report } = await check('secrets', ['--tag', 'write']);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/v[12]-secret/);
    expect(report.scenarios[0]!.differences.find((d) => d.pointer === '/body/token')).toMatchObject({ v1: '[redacted]', actual: '[redacted]' });
  });

  it('selects scenarios by tag, and refuses a tag nothing has', async () => {
    const { report } = await check('read', ['--tag', 'read', '--concurrency', '3']);
    expect(report.scenarios.map((s) => [s.name, s.outcome])).toEqual([['read one that is not there', 'identical']]);
    expect(report.untested).toEqual(['create-item']);
    const none = await runCli(['check', '--suite', join(folder.dir, 'suite.yaml'), '--v1', v1.url, '--v2', v2.url, '--tag', 'nothing', '--out', join(folder.dir, 'none')], { env: { FEATURE_TOKEN: TOKEN } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no scenario has any of the tags nothing');
  });

  it('fails an expectation through the gateway as a difference, and on v1 as an error in the scenario', async () => {
    const suite = join(folder.dir, 'expectations.yaml');
    await writeFile(
      suite,
      [
        'suite: features',
        'mapping: mapping.yaml',
        'headers: { authorization: "Bearer ${FEATURE_TOKEN}" }',
        'scenarios:',
        '  - { name: wrong on both, request: GET /items/1, expect: { status: 200 } }',
        '  - { name: wrong on the gateway, request: { method: POST, path: /items, body: { name: n } }, expect: { body: { score: 0.5 } } }',
      ].join('\n'),
    );
    const out = join(folder.dir, 'expectations');
    const { code } = await runCli(['check', '--suite', suite, '--v1', v1.url, '--v2', v2.url, '--warmup', '0', '--repeat', '1', '--out', out], { env: { FEATURE_TOKEN: TOKEN } });
    const report = JSON.parse(await readFile(join(out, 'features', 'latest', 'report.json'), 'utf8')) as CompatReport;
    expect(code).toBe(1);
    const [both, gatewayOnly] = report.scenarios;
    expect(both).toMatchObject({ outcome: 'error', error: "v1 does not meet the scenario's own expectations (step 0: status 404, expected 200); fix the scenario, or v1 changed" });
    expect(gatewayOnly!.outcome).toBe('different');
    expect(gatewayOnly!.expectations).toEqual([{ target: 'gateway', step: 0, message: 'body.score: 0.52, expected 0.5' }]);
  });
});
