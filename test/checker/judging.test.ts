import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainDifference, type ExplainContext } from '../../src/core/compare/explain.js';
import { compileMapping } from '../../src/core/mapping/compile.js';
import { buildRuleInventory } from '../../src/core/mapping/rule-inventory.js';
import type { MappingDocument } from '../../src/core/model/mapping.js';
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
  legacy.get('/items/:id', (c) => c.json(c.req.param('id') === '1' ? { id: 1, name: 'a' } : { id: 2 }));
  legacy.get('/empty', (c) => c.json([]));
  const next = new Hono();
  // The first two reads (the gateway's and the floor's in round 0) are 5 s off; later ones null.
  next.get('/v2/things/:id', (c) => c.json({ id: Number(c.req.param('id')), updated_at: ++v2Reads <= 2 ? '2026-01-01T00:00:05Z' : null }));
  next.get('/v2/items/:id', (c) => c.json({ id: Number(c.req.param('id')) }));
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
    ].join('\n'),
  );
});

afterAll(() => closeWorkspace?.());

async function check(name: string, lines: string[], repeat: number): Promise<{ code: number; report: CompatReport }> {
  const suite = join(folder.dir, `${name}.yaml`);
  await writeFile(suite, ['suite: judging', 'mapping: mapping.yaml', ...lines].join('\n'));
  const out = join(folder.dir, `out-${name}`);
  const { code } = await runCli(['check', '--suite', suite, '--v1', v1.url, '--v2', v2.url, '--repeat', String(repeat), '--warmup', '0', '--out', out]);
  return { code, report: JSON.parse(await readFile(join(out, 'judging', 'latest', 'report.json'), 'utf8')) as CompatReport };
}

describe('a difference found in several rounds', () => {
  it('keeps its most severe label: a timestamp a matcher accepted in round 0 and null in round 1 is a break', async () => {
    v2Reads = 0;
    const { code, report } = await check('later-round', ['match: { body.updated_at: { timestamp: 1m } }', 'scenarios:', '  - { name: read a thing, request: GET /things/1 }'], 3);
    const [scenario] = report.scenarios;
    expect(scenario!.differences).toEqual([
      expect.objectContaining({ pointer: '/body/updated_at', label: 'unexplained', v1: V1_TIME, actual: null, reason: 'the gateway sends a different value than v1' }),
    ]);
    expect(scenario!.outcome).toBe('different');
    expect(code).toBe(1);
  });
});

describe('a default in the mapping', () => {
  it('does not explain v1 data it replaces, only a value v1 did not have either', async () => {
    const { report } = await check('default', ['scenarios:', '  - { name: item with a name, request: GET /items/1 }', '  - { name: item without a name, request: GET /items/2 }'], 1);
    const [named, unnamed] = report.scenarios;
    expect(named!.differences).toEqual([expect.objectContaining({ pointer: '/body/name', label: 'unexplained', v1: 'a', actual: 'unknown' })]);
    expect(named!.outcome).toBe('different');
    expect(unnamed!.differences).toEqual([expect.objectContaining({ pointer: '/body/name', label: 'explained', actual: 'unknown' })]);
    expect(unnamed!.outcome).toBe('equivalent');
  });

  const document: MappingDocument = {
    name: 'defaults',
    upstream: 'http://127.0.0.1:1',
    endpoints: [{ id: 'get', v1: 'GET /x', v2: 'GET /v2/x', response: [{ default: { path: 'body.meta', value: { a: 1 } } }] }],
    errors: [{ when: { status: '>=400' }, response: [{ set: { path: 'headers.content-type', value: 'application/json' } }] }],
  };
  const { table } = compileMapping(document);
  const context = (extra: Partial<ExplainContext>): ExplainContext => ({ endpoint: table!.endpoints[0], inventory: buildRuleInventory(table!, document), lifecycle: table!.lifecycle, gatewayStatus: 200, ...extra });

  it('judges by what v1 had where the default writes, not only at the difference', () => {
    const at = ['body', 'meta', 'a'];
    expect(explainDifference(at, undefined, 1, context({ v1View: { status: 200, headers: {}, body: {} } }))).toMatch(/declared by the mapping \(default/);
    expect(explainDifference(at, undefined, 1, context({ v1View: { status: 200, headers: {}, body: { meta: {} } } }))).toBeUndefined();
    expect(explainDifference(['body', 'meta'], { a: 2 }, { a: 1 }, context({}))).toBeUndefined();
  });

  it('without the floor to say which rules fired, lets error rules explain only error answers', () => {
    const at = ['headers', 'content-type'];
    expect(explainDifference(at, 'application/vnd.api+json', 'application/json', context({ gatewayStatus: 200 }))).toBeUndefined();
    expect(explainDifference(at, 'text/plain', 'application/json', context({ gatewayStatus: 404 }))).toMatch(/declared by the mapping \(set at \/errors\/0\/response\/0\)/);
  });
});

describe('an expectation over every element of an array', () => {
  it('has nothing to check in an empty array', async () => {
    const { code, report } = await check('empty', ['scenarios:', '  - { name: empty list, request: GET /empty, expect: { status: 200, body: { "[].id": { $type: integer } } } }'], 1);
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
