import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparedView } from '../../src/core/compare/view.js';
import type { CompatReport } from '../../src/core/model/report.js';
import { startCheckWorkspace, type CheckWorkspace } from './support/check-workspace.js';
import { runCli } from './support/cli.js';

/* The suite keys real APIs need, each against tiny real services. */

let workspace: CheckWorkspace;
const seen = { resets: { v1: 0, v2: 0 }, counted: 0, rawBodies: [] as string[] };

function service(side: 'v1' | 'v2'): Hono {
  const prefix = side === 'v1' ? '' : '/v2';
  const app = new Hono();
  app.post('/__reset', (c) => (seen.resets[side]++, c.body(null, 204)));
  app.get(`${prefix}/page`, (c) => c.json({ id: 1 }, 200, { etag: `"${side}"` }));
  app.post(`${prefix}/raw`, async (c) => {
    const text = await c.req.text();
    if (side === 'v1') seen.rawBodies.push(text);
    try {
      JSON.parse(text);
      return c.json({ ok: true });
    } catch {
      return c.json({ error: 'bad json' }, 400);
    }
  });
  app.get(`${prefix}/msg`, (c) => c.json({ message: side === 'v1' ? 'invalid page size: got 0' : 'invalid page size (0)' }));
  app.get(`${prefix}/gap`, (c) => c.json({ sorted: side === 'v1' }));
  app.get(`${prefix}/counted`, (c) => {
    if (side === 'v1') seen.counted++;
    return c.json({ n: 1 });
  });
  return app;
}

beforeAll(async () => {
  workspace = await startCheckWorkspace(service('v1'), service('v2'));
  await writeFile(
    join(workspace.folder.dir, 'mapping.yaml'),
    ['name: keys', 'upstream: http://127.0.0.1:1', 'endpoints:', ...['page', 'raw', 'msg', 'gap', 'counted'].map((name) => `  - { id: ${name}, v1: "${name === 'raw' ? 'POST' : 'GET'} /${name}", v2: "${name === 'raw' ? 'POST' : 'GET'} /v2/${name}" }`)].join('\n'),
  );
});

afterAll(() => workspace?.close());

async function check(name: string, lines: string[], extra: string[] = []): Promise<{ code: number; report: CompatReport }> {
  const suite = join(workspace.folder.dir, `${name}.yaml`);
  await writeFile(suite, ['suite: keys', 'mapping: mapping.yaml', ...lines].join('\n'));
  const out = join(workspace.folder.dir, `out-${name}`);
  const { code } = await runCli(['check', '--suite', suite, '--v1', workspace.v1.url, '--v2', workspace.v2.url, '--repeat', '1', '--warmup', '0', '--allow-untested', '--out', out, ...extra]);
  return { code, report: JSON.parse(await readFile(join(out, 'keys', 'latest', 'report.json'), 'utf8')) as CompatReport };
}

const scenario = (report: CompatReport, name: string) => report.scenarios.find((s) => s.name === name)!;

describe('suite keys', () => {
  it('compares the headers a scenario names besides the suite\'s', async () => {
    const { report } = await check('headers', ['scenarios:', '  - { name: plain, request: GET /page }', '  - { name: with etag, request: GET /page, compareHeaders: [ETag] }']);
    expect(scenario(report, 'plain').differences.filter((d) => d.label === 'unexplained')).toEqual([]);
    expect(scenario(report, 'with etag').differences).toContainEqual(expect.objectContaining({ pointer: '/headers/etag', label: 'unexplained', v1: '"v1"', actual: '"v2"' }));
  });

  it('sends a raw bodyText byte for byte with its content type, so a malformed-JSON case is sendable', async () => {
    seen.rawBodies.length = 0;
    const { report } = await check('raw', ['scenarios:', '  - name: malformed json', '    request: { method: POST, path: /raw, bodyText: "{\\"title\\": ", contentType: application/json }', '    expect: { status: 400 }']);
    expect(seen.rawBodies).toContain('{"title": ');
    expect(scenario(report, 'malformed json')).toMatchObject({ statuses: { v1: [400], gateway: [400] }, expectations: [] });
  });

  it('accepts two strings with the same prefix', async () => {
    const { report } = await check('prefix', ['scenarios:', '  - { name: message, request: GET /msg, match: { body.message: { prefix: "invalid page size" } } }']);
    expect(scenario(report, 'message').differences).toEqual([expect.objectContaining({ pointer: '/body/message', label: 'noise', reason: 'accepted by matcher: prefix "invalid page size"' })]);
  });

  it('resets once before the run with before: run, and not again for scenarios that do not ask', async () => {
    seen.resets = { v1: 0, v2: 0 };
    await check('before-run', ['reset: { v1: POST /__reset, v2: POST /__reset, before: run }', 'scenarios:', '  - { name: one, request: GET /page }', '  - { name: two, request: GET /msg }']);
    expect(seen.resets).toEqual({ v1: 1, v2: 1 });
  });

  it('keeps a knownGap scenario in the report as an accepted gap, not against its endpoint', async () => {
    const { code, report } = await check('gap', ['scenarios:', '  - { name: unsorted, request: GET /gap, knownGap: "v2 no longer sorts; announced" }']);
    expect(scenario(report, 'unsorted')).toMatchObject({ knownGap: 'v2 no longer sorts; announced', outcome: 'different' });
    expect(report.endpoints.find((e) => e.id === 'gap')).toMatchObject({ verdict: 'ready-via-gateway', score: 100 });
    expect(report.rootCauses).toEqual([]);
    expect(code).toBe(0);
  });

  it('runs a scenario\'s own warmup rounds', async () => {
    seen.counted = 0;
    await check('warmup', ['scenarios:', '  - { name: warmed, request: GET /counted, warmup: 3 }']);
    // Three warm-up runs, the measured round, and v1's second answer for noise.
    expect(seen.counted).toBe(5);
  });
});

describe('the compared view', () => {
  const response = { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8', link: '<http://127.0.0.1:9/items?page=2>; rel="next", <https://docs.example/x>; rel="help"' }, body: undefined };

  it('makes Link URLs on the target\'s own origin relative, like Location', () => {
    expect(comparedView(response, { headers: ['link'], origin: 'http://127.0.0.1:9' }).headers.link).toBe('</items?page=2>; rel="next", <https://docs.example/x>; rel="help"');
  });

  it('compares content types loosely by default and exactly with strictContentType', () => {
    expect(comparedView(response, { headers: ['content-type'] }).headers['content-type']).toBe('application/json');
    expect(comparedView(response, { headers: ['content-type'], strictContentType: true }).headers['content-type']).toBe('application/json; charset=UTF-8');
  });
});
