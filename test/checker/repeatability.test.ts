import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NoiseModel } from '../../src/core/compare/noise.js';
import type { CompatReport } from '../../src/core/model/report.js';
import { listen, type ListeningServer } from '../../src/server/listen.js';
import { runCli, tempDir } from './support/cli.js';

/*
 * Scenarios whose requests change state. Noise is learnt from two v1 answers to the same
 * request; a DELETE repeated without a reset answers 204, then 404: two states, not noise, and
 * the scenario must say it cannot be judged rather than pass. And the checker's own extra calls
 * (the noise call on v1, the v2 floor, --direct) must not leave v1 and v2 in different states,
 * or later rounds and later scenarios compare different data.
 */

let folder: { dir: string; remove: () => Promise<void> };
const servers: ListeningServer[] = [];

beforeAll(async () => {
  folder = await tempDir();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await folder?.remove();
});

async function serve(app: Hono): Promise<ListeningServer> {
  const server = await listen(app);
  servers.push(server);
  return server;
}

async function check(name: string, mapping: string[], suite: string[], args: string[]): Promise<{ code: number; stdout: string; report: CompatReport }> {
  await writeFile(join(folder.dir, `${name}-mapping.yaml`), mapping.join('\n'));
  const suiteFile = join(folder.dir, `${name}.yaml`);
  await writeFile(suiteFile, [`suite: ${name}`, `mapping: ${name}-mapping.yaml`, ...suite].join('\n'));
  const out = join(folder.dir, `out-${name}`);
  const { code, stdout } = await runCli(['check', '--suite', suiteFile, '--out', out, ...args]);
  return { code, stdout, report: JSON.parse(await readFile(join(out, name, 'latest', 'report.json'), 'utf8')) as CompatReport };
}

/** v1 deletes with 204; v2 answers 200 {deleted: true}, and the mapping forgot the status step. */
async function deletingServices(): Promise<{ v1: ListeningServer; v2: ListeningServer }> {
  const v1Items = new Set(['1', '2', '3']);
  const v2Items = new Set(['1', '2', '3']);
  const legacy = new Hono();
  legacy.delete('/items/:id', (c) => (v1Items.delete(c.req.param('id')) ? c.body(null, 204) : c.json({ error: { code: 'not_found' } }, 404)));
  const next = new Hono();
  next.delete('/v2/items/:id', (c) => (v2Items.delete(c.req.param('id')) ? c.json({ deleted: true }, 200) : c.json({ error: { code: 'not_found' } }, 404)));
  return { v1: await serve(legacy), v2: await serve(next) };
}

const DELETE_MAPPING = (v2: string) => ['name: items', `upstream: ${v2}`, 'endpoints:', '  - { id: delete-item, v1: "DELETE /items/{id}", v2: "DELETE /v2/items/{id}" }'];

describe('a request v1 does not answer the same way twice', () => {
  it('is never learnt as noise: a DELETE without reset shows its differences and cannot pass', async () => {
    const { v1, v2 } = await deletingServices();
    const { code, report } = await check('delete-once', DELETE_MAPPING(v2.url), ['scenarios:', '  - { name: delete one, request: "DELETE /items/1" }'], [
      '--v1', v1.url, '--v2', v2.url, '--repeat', '1', '--warmup', '0',
    ]);
    expect(code).toBe(1);
    const [scenario] = report.scenarios;
    expect(scenario!.statuses).toEqual({ v1: [204], gateway: [200] });
    expect(scenario!.outcome).toBe('error');
    expect(scenario!.error).toMatch(/^v1 is not repeatable for step 0 \(DELETE \/items\/1\): it answered 204, then 404 to the same request.*add reset: true/);
    const labels = Object.fromEntries(scenario!.differences.map((d) => [d.pointer, d.label]));
    expect(labels).toMatchObject({ '/status': 'unexplained', '/body': 'unexplained' });
    expect(scenario!.differences.filter((d) => d.label === 'noise')).toEqual([]);
    expect(report.endpoints.find((e) => e.id === 'delete-item')!.verdict).toBe('blocked');
  });

  it('is caught even when the warm-up already spent the state the judged round would have compared', async () => {
    const { v1, v2 } = await deletingServices();
    // Warm-up deletes the item on both sides; every measured round then sees 404 against 404.
    const { code, report } = await check('delete-warm', DELETE_MAPPING(v2.url), ['scenarios:', '  - { name: delete one, request: "DELETE /items/2" }'], [
      '--v1', v1.url, '--v2', v2.url, '--repeat', '3', '--warmup', '2',
    ]);
    expect(code).toBe(1);
    expect(report.scenarios[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/^v1 is not repeatable for step 0 .*answered 204, then 404/) });
    expect(report.summary.verdict).toBe('blocked');
  });

  it('makes a create that conflicts on its repeat an error too, in later rounds as in the first', async () => {
    const taken = { v1: new Set<string>(), v2: new Set<string>() };
    const app = (side: 'v1' | 'v2') => {
      const service = new Hono();
      service.post(side === 'v1' ? '/users' : '/v2/users', async (c) => {
        const { name } = (await c.req.json()) as { name: string };
        if (taken[side].has(name)) return c.json({ error: 'taken' }, 409);
        taken[side].add(name);
        return c.json({ name }, 201);
      });
      return service;
    };
    const [v1, v2] = [await serve(app('v1')), await serve(app('v2'))];
    const { report } = await check(
      'create-conflict',
      ['name: users', `upstream: ${v2.url}`, 'endpoints:', '  - { id: create-user, v1: "POST /users", v2: "POST /v2/users" }'],
      ['scenarios:', '  - { name: create ann, request: { method: POST, path: /users, body: { name: ann } } }'],
      ['--v1', v1.url, '--v2', v2.url, '--repeat', '3', '--warmup', '0'],
    );
    expect(report.scenarios[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/answered 201, then 409/) });
    expect(report.scenarios[0]!.differences.filter((d) => d.pointer === '/status')).toEqual([]);
  });

  it('learns nothing from two answers with different statuses, and never the status itself', () => {
    const noise = new NoiseModel();
    noise.learn(0, { status: 204, headers: {} }, { status: 404, headers: { 'content-type': 'application/json' }, body: { error: 'gone' } });
    noise.learn(1, { status: 200, headers: {}, body: { at: 1 } }, { status: 200, headers: {}, body: { at: 2 } });
    expect(noise.places(0)).toEqual([]);
    expect(noise.isNoise(0, ['status'])).toBe(false);
    expect(noise.isNoise(0, ['body'])).toBe(false);
    expect(noise.places(1)).toEqual(['/body/at']);
    noise.observe(1, 200);
    noise.observe(1, 500);
    expect(noise.unrepeatable()).toEqual([
      { step: 0, first: 204, then: 404 },
      { step: 1, first: 200, then: 500 },
    ]);
  });
});

describe('a scenario that changes state without a reset', () => {
  /**
   * A counter on each side, the same routes on v1 and v2 (so --direct reaches it too): POST
   * increments, GET reads. Every POST one side gets and the other does not shows up as a
   * different count in the read scenario that follows.
   */
  async function counters(): Promise<{ v1: ListeningServer; v2: ListeningServer; posts: { v1: number; v2: number } }> {
    const posts = { v1: 0, v2: 0 };
    const app = (side: 'v1' | 'v2') => {
      const service = new Hono();
      service.post('/counter', (c) => c.json({ count: ++posts[side] }, 201));
      service.get('/counter', (c) => c.json({ count: posts[side] }));
      return service;
    };
    return { v1: await serve(app('v1')), v2: await serve(app('v2')), posts };
  }

  const mapping = (v2: string) => ['name: counter', `upstream: ${v2}`, 'endpoints:', '  - { id: bump, v1: "POST /counter", v2: "POST /counter" }', '  - { id: read, v1: "GET /counter", v2: "GET /counter" }'];
  const suite = ['scenarios:', '  - { name: a bump, request: "POST /counter" }', '  - { name: b read, request: "GET /counter" }'];

  it('gets the same calls on v1 and v2, so the scenarios after it compare the same state', async () => {
    const { v1, v2, posts } = await counters();
    const { code, report } = await check('counter', mapping(v2.url), suite, ['--v1', v1.url, '--v2', v2.url, '--repeat', '3', '--warmup', '1']);
    expect(posts.v1).toBe(posts.v2);
    expect(report.scenarios.map((s) => [s.name, s.outcome])).toEqual([
      ['a bump', 'identical'],
      ['b read', 'identical'],
    ]);
    // The bump differs by itself from round to round: learnt from the rounds, not from an extra v1 call.
    expect(report.scenarios[0]!.differences).toEqual([]);
    expect(code).toBe(0);
    // The floor still ran (after the compared rounds), so the gateway overhead is measured.
    expect(report.endpoints.find((e) => e.id === 'bump')!.gatewayOverheadMs).toEqual(expect.any(Number));
  });

  it('with --direct: v2 gets no request v1 does not; the direct result says why it was not run', async () => {
    const { v1, v2, posts } = await counters();
    const { report } = await check('counter-direct', mapping(v2.url), suite, ['--v1', v1.url, '--v2', v2.url, '--repeat', '2', '--warmup', '0', '--direct']);
    expect(posts.v1).toBe(posts.v2);
    const [bump, read] = report.scenarios;
    expect(bump!.outcome).toBe('identical');
    expect(bump!.direct).toEqual({ outcome: 'error', error: expect.stringMatching(/^not run: the scenario changes state without reset: true/), differences: [] });
    expect(read!.outcome).toBe('identical');
    expect(read!.direct).toEqual({ outcome: 'identical', differences: [] });
    expect(report.endpoints.find((e) => e.id === 'read')!.verdict).toBe('ready');
    expect(report.endpoints.find((e) => e.id === 'bump')!.verdict).toBe('ready-via-gateway');
  });

  it('is compared in two rounds even with --repeat 1, to learn noise from v1 without a call v2 does not get', async () => {
    const { v1, v2, posts } = await counters();
    const { report } = await check('counter-once', mapping(v2.url), suite, ['--v1', v1.url, '--v2', v2.url, '--repeat', '1', '--warmup', '1']);
    expect(posts.v1).toBe(posts.v2);
    expect(report.scenarios.map((s) => s.outcome)).toEqual(['identical', 'identical']);
    expect(report.scenarios[0]!.latency.gateway!.samples).toBe(2);
  });
});
