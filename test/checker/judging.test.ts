import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import { compileSuite } from '../../src/core/scenario/compile-suite.js';
import { checkExpectation } from '../../src/core/scenario/expectations.js';
import type { ListeningServer } from '../../src/server/listen.js';
import { startCheckWorkspace, type CheckWorkspace } from './support/check-workspace.js';
import { runCli } from './support/cli.js';

/*
 * How differences and expectations are judged, against tiny services: a break that only shows
 * in a later round, v1 data a `default` papers over, and an `[]` expectation over an empty list.
 */

const V1_TIME = '2026-01-01T00:00:00Z';

let v1: ListeningServer;
let v2: ListeningServer;
let folder: CheckWorkspace['folder'];
let closeWorkspace: (() => Promise<void>) | undefined;
let v2Reads = 0;

beforeAll(async () => {
  const legacy = new Hono();
  legacy.get('/things/:id', (c) => c.json({ id: Number(c.req.param('id')), updated_at: V1_TIME }));
  legacy.get('/items/:id', (c) => (c.req.param('id') === '404' ? c.text('{"error":"missing"}', 404) : c.json(c.req.param('id') === '1' ? { id: 1, name: 'a' } : { id: 2 })));
  legacy.get('/empty', (c) => c.json([]));
  legacy.get('/nowhere', (c) => c.text('not here', 404));
  const next = new Hono();
  // The first two reads (the gateway's and the floor's in round 0) are 5 s off; later ones null.
  next.get('/v2/things/:id', (c) => c.json({ id: Number(c.req.param('id')), updated_at: ++v2Reads <= 2 ? '2026-01-01T00:00:05Z' : null }));
  next.get('/v2/items/:id', (c) => (c.req.param('id') === '404' ? c.json({ type: 'about:blank', title: 'Not Found', status: 404 }, 404, { 'content-type': 'application/problem+json' }) : c.json({ id: Number(c.req.param('id')) })));
  next.get('/v2/empty', (c) => c.json([]));
  ({ v1, v2, folder, close: closeWorkspace } = await startCheckWorkspace(legacy, next));
  await writeFile(
    join(folder.dir, 'mapping.yaml'),
    [
      'name: judging',
      'upstream: http://127.0.0.1:1',
      'endpoints:',
      '  - { id: get-thing, v1: "GET /things/{id}", v2: "GET /v2/things/{id}" }',
      '  - { id: get-item, v1: "GET /items/{id}", v2: "GET /v2/items/{id}", response: [{ default: { path: body.name, value: unknown } }] }',
      '  - { id: empty, v1: "GET /empty", v2: "GET /v2/empty" }',
      'errors:',
      '  - when: { status: ">=400" }',
      '    response:',
      '      - set: { path: headers.content-type, value: application/json }',
      '      - set: { path: body, value: { error: missing } }',
    ].join('\n'),
  );
});

afterAll(() => closeWorkspace?.());

async function check(name: string, lines: string[], repeat: number): Promise<{ code: number; report: CompatReport; stdout: string }> {
  const suite = join(folder.dir, `${name}.yaml`);
  await writeFile(suite, ['suite: judging', 'mapping: mapping.yaml', ...lines].join('\n'));
  const out = join(folder.dir, `out-${name}`);
  const { code, stdout } = await runCli(['check', '--suite', suite, '--v1', v1.url, '--v2', v2.url, '--repeat', String(repeat), '--warmup', '0', '--allow-untested', '--out', out]);
  return { code, stdout, report: JSON.parse(await readFile(join(out, 'judging', 'latest', 'report.json'), 'utf8')) as CompatReport };
}

describe('a difference found in several rounds', () => {
  it('keeps its most severe label: a timestamp a matcher accepted in round 0 and null in round 1 is a break', async () => {
    v2Reads = 0;
    const { code, report } = await check('later-round', ['match: { body.updated_at: { timestamp: 1m } }', 'scenarios:', '  - { name: read a thing, request: GET /things/1 }'], 3);
    const [scenario] = report.scenarios;
    expect(scenario!.differences).toEqual([
      expect.objectContaining({ pointer: '/body/updated_at', label: 'unexplained', v1: V1_TIME, actual: null, reason: expect.stringMatching(/^the gateway sends a different value than v1; /), intermittent: { rounds: 2, of: 3 } }),
    ]);
    expect(scenario!.outcome).toBe('different');
    expect(code).toBe(1);
  });
});

describe('explained means produced', () => {
  it('never explains v1 data a default replaces, nor a value v1 did not have: both name the rule', async () => {
    const { report } = await check('default', ['scenarios:', '  - { name: item with a name, request: GET /items/1 }', '  - { name: item without a name, request: GET /items/2 }'], 1);
    const [named, unnamed] = report.scenarios;
    for (const scenario of [named!, unnamed!]) {
      expect(scenario.differences).toEqual([
        expect.objectContaining({ pointer: '/body/name', label: 'unexplained', actual: 'unknown', rule: { pointer: '/endpoints/1/response/0', op: 'default' }, reason: expect.stringMatching(/default at \/endpoints\/1\/response\/0/) }),
      ]);
      expect(scenario.outcome).toBe('different');
    }
  });

  it('does not explain a content type a constant `set` makes differ from v1', async () => {
    const { code, report } = await check('constant', ['scenarios:', '  - { name: missing item, request: GET /items/404 }'], 1);
    expect(report.scenarios[0]!.differences).toContainEqual(
      expect.objectContaining({ pointer: '/headers/content-type', label: 'unexplained', v1: 'text/plain', actual: 'application/json', rule: { pointer: '/errors/0/response/0', op: 'set' } }),
    );
    expect(report.scenarios[0]!.differences.filter((d) => d.label === 'explained' && d.pointer !== '/headers/link')).toEqual([]);
    expect(report.endpoints.find((e) => e.id === 'get-item')).toMatchObject({ verdict: 'blocked', score: 0 });
    expect(code).toBe(1);
  });

  it("does not explain an unmapped route's problem by error rules that never ran for it", async () => {
    const { report } = await check('unmapped', ['scenarios:', '  - { name: unmapped route, request: GET /nowhere }'], 1);
    const [scenario] = report.scenarios;
    expect(scenario!.outcome).toBe('different');
    expect(scenario!.differences.filter((d) => d.label === 'explained' && d.pointer !== '/headers/link')).toEqual([]);
    expect(scenario!.differences).toContainEqual(expect.objectContaining({ pointer: '/headers/content-type', label: 'unexplained', reason: expect.stringMatching(/no mapping endpoint matches/) }));
  });
});

describe('an expectation over every element of an array', () => {
  it('has nothing to check in an empty array', async () => {
    const { code, report, stdout } = await check('empty', ['scenarios:', '  - { name: empty list, request: GET /empty, expect: { status: 200, body: { "[].id": { $type: integer } } } }'], 1);
    // Rules nobody exercised are named by endpoint and op, not by a bare pointer.
    expect(stdout).toMatch(/mapping rules no scenario exercised: .*get-item response step 0 \(default\), error rule 0 response step 0 \(set\)/);
    expect(report.scenarios[0]).toMatchObject({ outcome: 'identical', expectations: [] });
    expect(report.scenarios[0]!.error).toBeUndefined();
    expect(code).toBe(0);
  });

  it('still fails for elements without the field, and where there is no array at all', () => {
    const { suite } = compileSuite({ suite: 's', scenarios: [{ name: 'n', request: 'GET /x', expect: { body: { '[].id': { $type: 'integer' }, 'items[].tags[].name': { $exists: true } } } }] });
    const expectation = suite!.scenarios[0]!.steps[0]!.expect!;
    const failures = (body: unknown) => checkExpectation(expectation, { status: 200, headers: {}, body });
    expect(failures({ items: [{ tags: [] }, { tags: [] }] })).toEqual(['body.[].id: nothing is not an integer']);
    expect(failures([])).toEqual(['body.items[].tags[].name: missing']);
    expect(failures([{}])).toContain('body.[].id: nothing is not an integer');
    expect(failures({ items: [{ tags: [] }, {}] })).toContain('body.items[].tags[].name: missing');
  });
});
