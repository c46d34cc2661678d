import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import { startCheckWorkspace, type CheckWorkspace } from './support/check-workspace.js';
import { runCli } from './support/cli.js';

/*
 * Side effects judged by the reads that follow: v1 deletes an item's notes with the item (a
 * cascade), v2 keeps them. The DELETE itself answers alike on both sides; only the next read shows
 * the break, and it must count against the DELETE endpoint too.
 */

let workspace: CheckWorkspace;

function service(cascade: boolean, prefix: string): Hono {
  let items = new Set<number>();
  let notes: Array<{ id: number; item: number }> = [];
  const seed = () => {
    items = new Set([1, 2]);
    notes = [
      { id: 10, item: 1 },
      { id: 11, item: 2 },
    ];
  };
  seed();
  const app = new Hono();
  app.post('/__reset', (c) => (seed(), c.body(null, 204)));
  app.post(`${prefix}/items`, (c) => (items.add(3), c.json({ id: 3 }, 201)));
  app.delete(`${prefix}/items/:id`, (c) => {
    const id = Number(c.req.param('id'));
    if (!items.delete(id)) return c.json({ error: 'missing' }, 404);
    if (cascade) notes = notes.filter((note) => note.item !== id);
    return c.body(null, 204);
  });
  app.get(`${prefix}/notes`, (c) => c.json(notes));
  return app;
}

beforeAll(async () => {
  workspace = await startCheckWorkspace(service(true, ''), service(false, '/v2'));
  await writeFile(
    join(workspace.folder.dir, 'mapping.yaml'),
    [
      'name: cascade',
      'upstream: http://127.0.0.1:1',
      'endpoints:',
      '  - { id: create-item, v1: "POST /items", v2: "POST /v2/items" }',
      '  - { id: delete-item, v1: "DELETE /items/{id}", v2: "DELETE /v2/items/{id}" }',
      '  - { id: list-notes, v1: "GET /notes", v2: "GET /v2/notes" }',
    ].join('\n'),
  );
});

afterAll(() => workspace?.close());

async function check(name: string, scenarios: string[]): Promise<{ code: number; report: CompatReport }> {
  const suite = join(workspace.folder.dir, `${name}.yaml`);
  await writeFile(suite, ['suite: cascade', 'mapping: mapping.yaml', 'reset: { v1: POST /__reset, v2: POST /__reset }', 'scenarios:', ...scenarios].join('\n'));
  const out = join(workspace.folder.dir, `out-${name}`);
  const { code } = await runCli(['check', '--suite', suite, '--v1', workspace.v1.url, '--v2', workspace.v2.url, '--repeat', '2', '--warmup', '0', '--allow-untested', '--out', out]);
  return { code, report: JSON.parse(await readFile(join(out, 'cascade', 'latest', 'report.json'), 'utf8')) as CompatReport };
}

describe('a write judged by the read after it', () => {
  it('blocks the DELETE whose cascade v2 skips, and says the read\'s difference is charged to it', async () => {
    const { code, report } = await check('cascade', [
      '  - name: delete an item, then list the notes',
      '    reset: true',
      '    steps:',
      '      - request: DELETE /items/1',
      '        expect: { status: 204 }',
      '      - request: GET /notes',
    ]);
    const [scenario] = report.scenarios;
    expect(scenario!.statuses).toEqual({ v1: [204, 200], gateway: [204, 200] });
    expect(scenario!.differences.filter((d) => d.label === 'unexplained')).toEqual([expect.objectContaining({ step: 1, endpoint: 'list-notes', chargedTo: ['delete-item'] })]);
    const verdicts = Object.fromEntries(report.endpoints.map((e) => [e.id, [e.verdict, e.score]]));
    expect(verdicts['delete-item']).toEqual(['blocked', 0]);
    expect(verdicts['list-notes']).toEqual(['blocked', 0]);
    expect(report.rootCauses![0]).toMatchObject({ place: 'body[]', endpoints: ['delete-item', 'list-notes'] });
    expect(report.formula).toMatch(/charged to the endpoints of the writes before it/);
    expect(code).toBe(1);
  });

  it('runs a judge: false setup step and checks its expect, without comparing its answers', async () => {
    const { report } = await check('setup', [
      '  - name: create as setup, then list',
      '    reset: true',
      '    steps:',
      '      - request: POST /items',
      '        judge: false',
      '        expect: { status: 201 }',
      '      - request: DELETE /items/2',
    ]);
    const [scenario] = report.scenarios;
    expect(scenario!.differences.filter((d) => d.step === 0)).toEqual([]);
    expect(scenario!.expectations).toEqual([]);
    expect(scenario!.statuses.gateway).toEqual([201, 204]);
  });
});
