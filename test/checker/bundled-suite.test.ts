import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices } from '../../examples/knowledge/start.js';
import type { CompatReport } from '../../src/core/model/report.js';
import { validateAgainstSchema } from '../../src/io/schema-validation.js';
import { runCli, STACK_FRAME, tempDir, type CliRun } from './support/cli.js';

/*
 * `api-compat demo --check` (what `npm run demo:check` runs): the bundled example services, the
 * bundled suite through an in-process gateway, the four report files. Run twice, to see the
 * reports of each run kept and `latest/` replaced.
 */

let folder: { dir: string; remove: () => Promise<void> };
let first: CliRun;
let second: CliRun;
let report: CompatReport;

beforeAll(async () => {
  folder = await tempDir();
  first = await runCli(['demo', '--check', '--out', folder.dir]);
  second = await runCli(['demo', '--check', '--out', folder.dir]);
  report = JSON.parse(await readFile(join(folder.dir, 'knowledge', 'latest', 'report.json'), 'utf8')) as CompatReport;
}, 60_000);

afterAll(async () => {
  await folder?.remove();
});

describe('the bundled suite against the bundled example', () => {
  it('passes with every endpoint ready via the gateway, /execute removed, and a score of at least 95', () => {
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(report.summary.score).toBeGreaterThanOrEqual(95);
    expect(report.partial).toBe(false);
    expect(Object.fromEntries(report.endpoints.map((e) => [e.id, e.verdict]))).toEqual({
      'create-knowledge': 'ready-via-gateway',
      'create-task': 'ready-via-gateway',
      'delete-knowledge': 'ready-via-gateway',
      execute: 'removed',
      'get-knowledge': 'ready-via-gateway',
      'get-task': 'ready-via-gateway',
      'list-knowledge': 'ready-via-gateway',
      search: 'ready-via-gateway',
      'update-knowledge': 'ready-via-gateway',
    });
    expect(report.summary.scenarios.error + report.summary.scenarios.different).toBe(0);
    expect(report.summary.differences.unexplained).toBe(0);
  });

  it('exercises every endpoint and every mapping rule', () => {
    expect(report.untested).toEqual([]);
    expect(report.unexercisedRules).toEqual([]);
    for (const endpoint of report.endpoints) expect(endpoint.unexercisedRules, endpoint.id).toEqual([]);
  });

  it('learns the timestamps that change on every call as noise, with no ignore rule in the suite', async () => {
    expect(await readFile('scenarios/knowledge.yaml', 'utf8')).not.toMatch(/^\s*ignore:/m);
    const flow = report.scenarios.find((s) => s.name === 'create, read back, update, delete')!;
    expect(flow.differences.filter((d) => d.pointer === '/body/created_at').map((d) => [d.step, d.label, d.reason])).toEqual([
      [0, 'noise', 'differs between two v1 answers to the same request'],
      [1, 'noise', 'differs between two v1 answers to the same request'],
      [2, 'noise', 'differs between two v1 answers to the same request'],
      [3, 'noise', 'differs between two v1 answers to the same request'],
    ]);
  });

  it('explains the lifecycle headers and the removed endpoint, and shows what breaks without the gateway', () => {
    const list = report.scenarios.find((s) => s.name === 'list knowledge, first page')!;
    expect(list.differences).toEqual([expect.objectContaining({ pointer: '/headers/link', label: 'explained', endpoint: 'list-knowledge', step: 0 })]);
    const execute = report.scenarios.find((s) => s.name === 'execute a task')!;
    expect(execute.differences.find((d) => d.pointer === '/status')).toMatchObject({ label: 'explained', v1: 202, actual: 410, endpoint: 'execute' });
    expect(list.direct).toMatchObject({ outcome: 'different' });
    expect(list.direct!.differences.find((d) => d.pointer === '/status')).toMatchObject({ label: 'unexplained', v1: 200, actual: 404 });
  });

  it('measures v1, the gateway and the v2 floor per scenario, and the gateway overhead per endpoint', () => {
    const search = report.scenarios.find((s) => s.name === 'search by keyword')!;
    for (const target of ['v1', 'gateway', 'v2-floor'] as const) {
      expect(search.latency[target], target).toMatchObject({ samples: 10 });
      expect(search.latency[target]!.p50).toBeLessThanOrEqual(search.latency[target]!.p99);
    }
    const endpoint = report.endpoints.find((e) => e.id === 'search')!;
    expect(endpoint.latencyRatio).toBeGreaterThan(0);
    expect(endpoint.gatewayOverheadMs).toEqual(expect.any(Number));
    // As the formula says: fidelity times what the other components leave.
    const value = (name: string) => endpoint.components.find((c) => c.name === name)!;
    const penalty = endpoint.components.filter((c) => c.name !== 'fidelity').reduce((sum, c) => sum + c.weight * (1 - c.value), 0);
    expect(endpoint.score).toBe(Math.round(1000 * value('fidelity').value * (1 - penalty)) / 10);
  });

  it('writes a report.html of tens of kilobytes, with what to fix first at the top', async () => {
    const page = await readFile(join(folder.dir, 'knowledge', 'latest', 'report.html'), 'utf8');
    expect(Buffer.byteLength(page)).toBeLessThan(100_000);
    expect(page.indexOf('id="fix-first"')).toBeLessThan(page.indexOf('id="summary"'));
  });

  it('writes a report.json that validates against schemas/report.schema.json', () => {
    expect(validateAgainstSchema('report', report)).toEqual([]);
  });

  it('writes the four report files per run, replaces latest/, and prints the summary and the paths', async () => {
    const entries = (await readdir(join(folder.dir, 'knowledge'))).sort();
    expect(entries.filter((e) => e.startsWith('.'))).toEqual([]);
    const runs = entries.filter((e) => e !== 'latest');
    expect(runs).toHaveLength(2);
    for (const run of [...runs, 'latest']) expect((await readdir(join(folder.dir, 'knowledge', run))).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    const newest = JSON.parse(await readFile(join(folder.dir, 'knowledge', runs.at(-1)!, 'report.json'), 'utf8')) as CompatReport;
    expect(newest.run.startedAt).toBe(report.run.startedAt);
    expect(second.code).toBe(0);
    expect(first.stdout).toMatch(/suite knowledge: score \d+\.\d\/100, ready-via-gateway/);
    expect(first.stdout).toContain(`${join(folder.dir, 'knowledge', runs[0]!, 'report.md')}`);
    expect(first.stdout + first.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('the bundled suite with scenarios in parallel, on a terminal', () => {
  it('keeps resetting scenarios apart from the rest (no drift between v1 and v2 data), and draws a progress bar instead of lines', async () => {
    const services = await startExampleServices({ v1Port: 0, v2Port: 0 });
    try {
      const out = join(folder.dir, 'parallel');
      const run = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--v1', services.v1.url, '--v2', services.v2.url, '--concurrency', '4', '--repeat', '3', '--warmup', '1', '--out', out], { isTTY: true });
      const parallel = JSON.parse(await readFile(join(out, 'knowledge', 'latest', 'report.json'), 'utf8')) as CompatReport;
      // Scenarios timed side by side slow each other down, so only correctness is asserted here.
      expect(parallel.summary.scenarios).toMatchObject({ different: 0, error: 0 });
      expect(parallel.summary.differences.unexplained).toBe(0);
      for (const endpoint of parallel.endpoints) expect(endpoint.components.find((c) => c.name === 'fidelity')!.value, endpoint.id).toBe(1);
      expect(parallel.run.concurrency).toBe(4);
      const clearLine = '\r\u001b[2K';
      expect(run.stdout).toContain(`${clearLine}[########################] 18/18 `);
      expect(run.stdout.split(clearLine).filter((frame) => /^\[#*\.*\] \d+\/18 /.test(frame))).toHaveLength(18);
      expect(run.stdout).not.toMatch(/^ {2}(identical|equivalent) /m);
    } finally {
      await services.close();
    }
  });
});
