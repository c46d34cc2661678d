import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import type { ListeningServer } from '../../src/server/listen.js';
import { startCheckWorkspace, type CheckWorkspace } from './support/check-workspace.js';
import { runCli } from './support/cli.js';

/*
 * Noise in the manner of Diffy, without a third deployment: a timestamp v1 stamps on every call
 * differs between two v1 answers, so its difference through the gateway is noise, with no
 * ignore rule anywhere. The control: a timestamp v1 keeps constant is not noise, so the same
 * kind of difference through the gateway stays unexplained.
 */

let v1: ListeningServer;
let v2: ListeningServer;
let folder: CheckWorkspace['folder'];
let closeWorkspace: (() => Promise<void>) | undefined;

const FIXED = '2026-01-01T00:00:00.000Z';

beforeAll(async () => {
  const legacy = new Hono();
  legacy.get('/things/:id', (c) => c.json({ id: Number(c.req.param('id')), name: 'thing', generated_at: new Date().toISOString() }));
  legacy.get('/fixed/:id', (c) => c.json({ id: Number(c.req.param('id')), generated_at: FIXED }));
  const next = new Hono();
  next.get('/v2/things/:id', (c) => c.json({ id: c.req.param('id'), title: 'thing', generated_at: new Date().toISOString() }));
  next.get('/v2/fixed/:id', (c) => c.json({ id: c.req.param('id'), generated_at: new Date(Date.now() + 60_000).toISOString() }));
  ({ v1, v2, folder, close: closeWorkspace } = await startCheckWorkspace(legacy, next));
  await writeFile(
    join(folder.dir, 'mapping.yaml'),
    [
      'name: things',
      'upstream: http://127.0.0.1:1',
      'resources:',
      '  Thing:',
      '    - coerce: { field: id, v1: integer, v2: string }',
      '    - rename: { v1: name, v2: title }',
      'endpoints:',
      '  - { id: get-thing, v1: "GET /things/{id}", v2: "GET /v2/things/{id}", response: [{ resource: { at: body, is: Thing } }] }',
      '  - { id: get-fixed, v1: "GET /fixed/{id}", v2: "GET /v2/fixed/{id}", response: [{ resource: { at: body, is: Thing } }] }',
    ].join('\n'),
  );
});

afterAll(() => closeWorkspace?.());

async function check(name: string, request: string): Promise<{ code: number; report: CompatReport }> {
  const suite = join(folder.dir, `${name}.yaml`);
  await writeFile(suite, ['suite: things', 'mapping: mapping.yaml', 'scenarios:', `  - { name: ${name}, request: "${request}" }`].join('\n'));
  const out = join(folder.dir, `out-${name}`);
  const { code } = await runCli(['check', '--suite', suite, '--v1', v1.url, '--v2', v2.url, '--repeat', '3', '--warmup', '0', '--allow-untested', '--out', out]);
  return { code, report: JSON.parse(await readFile(join(out, 'things', 'latest', 'report.json'), 'utf8')) as CompatReport };
}

describe('noise learning', () => {
  it('learns a per-call timestamp as noise without an ignore rule', async () => {
    const { code, report } = await check('stamped', 'GET /things/1');
    expect(code).toBe(0);
    const [scenario] = report.scenarios;
    expect(scenario!.outcome).toBe('identical');
    expect(scenario!.differences).toEqual([
      expect.objectContaining({ pointer: '/body/generated_at', label: 'noise', reason: 'differs between two v1 answers to the same request', endpoint: 'get-thing', step: 0 }),
    ]);
    expect(report.endpoints.find((e) => e.id === 'get-thing')!.verdict).toBe('ready-via-gateway');
  });

  it('keeps a difference unexplained where v1 itself is stable', async () => {
    const { code, report } = await check('fixed', 'GET /fixed/1');
    expect(code).toBe(1);
    expect(report.scenarios[0]!.differences).toEqual([
      expect.objectContaining({ pointer: '/body/generated_at', label: 'unexplained', v1: FIXED, reason: "the gateway sends a different value than v1; no mapping step wrote it in this exchange: it is v2's own value", endpoint: 'get-fixed' }),
    ]);
    expect(report.endpoints.find((e) => e.id === 'get-fixed')!.verdict).toBe('blocked');
  });
});
