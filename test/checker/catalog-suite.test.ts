import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import { runCli, tempDir, type CliRun } from './support/cli.js';

/*
 * `api-compat demo --example catalog --check`: the catalog suite (every recorded v1 exchange, plus
 * each v1 validation and sort the mapping re-implements) against real v1 and through the gateway.
 */

let folder: { dir: string; remove: () => Promise<void> };
let run: CliRun;
let report: CompatReport;

beforeAll(async () => {
  folder = await tempDir();
  run = await runCli(['demo', '--example', 'catalog', '--check', '--out', folder.dir]);
  report = JSON.parse(await readFile(join(folder.dir, 'catalog', 'latest', 'report.json'), 'utf8')) as CompatReport;
}, 120_000);

afterAll(async () => {
  await folder?.remove();
});

describe('the catalog suite against the catalog example', () => {
  it('scores 100 with every scenario identical and no unexplained difference', () => {
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(report.summary.score).toBe(100);
    expect(report.summary.verdict).toBe('ready-via-gateway');
    expect(report.summary.scenarios).toMatchObject({ different: 0, error: 0 });
    expect(report.summary.differences.unexplained).toBe(0);
    expect(report.summary.differences.explained).toBe(0);
  });

  it('exercises every endpoint, each variant of the overridden route included', () => {
    expect(report.untested).toEqual([]);
    const verdicts = Object.fromEntries(report.endpoints.map((e) => [e.id, e.verdict]));
    for (const variant of ['override-patch', 'override-delete', 'override-put', 'override-other']) expect(verdicts[variant], variant).toBe('ready-via-gateway');
    for (const endpoint of report.endpoints) expect(endpoint.unexercisedRules, endpoint.id).toEqual([]);
  });

  it('counts the answers the gateway gives by itself (unknown path, 405, preflights) as covered', () => {
    const gatewayAnswered = report.endpoints.filter((e) => e.id.startsWith('unmapped '));
    expect(gatewayAnswered.map((e) => e.id).sort()).toEqual(['unmapped DELETE /vendors/1', 'unmapped GET /categories', 'unmapped OPTIONS /products', 'unmapped OPTIONS /products/1', 'unmapped OPTIONS /vendors']);
    for (const endpoint of gatewayAnswered) expect(endpoint.components.find((c) => c.name === 'coverage')?.value, endpoint.id).toBe(1);
  });
});
