import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_VERSION, type CompatReport } from '../../src/core/model/report.js';
import { timestampName, writeReport } from '../../src/io/write-report.js';
import { tempDir } from './support/cli.js';

function report(startedAt: string, score: number): CompatReport {
  return {
    reportVersion: REPORT_VERSION,
    suite: 'demo suite/1',
    partial: false,
    summary: { score, verdict: 'ready-via-gateway', scenarios: { identical: 0, equivalent: 0, different: 0, error: 0 }, differences: { explained: 0, noise: 0, unexplained: 0 }, performanceThreshold: 2 },
    formula: 'f',
    endpoints: [],
    untested: [],
    scenarios: [],
    run: { startedAt, finishedAt: startedAt, durationMs: 0, targets: {}, repeat: 1, concurrency: 1, tool: { name: 'api-compat', version: '0' }, node: 'v20' },
  };
}

let folder: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  folder = await tempDir();
});

afterEach(async () => {
  await folder.remove();
});

describe('writing reports', () => {
  it('names runs by UTC timestamp, keeps every run, and replaces latest/ with the newest', async () => {
    const renderers = { md: (r: CompatReport) => `# score ${r.summary.score}\n` };
    const first = await writeReport(report('2026-06-01T12:30:05.123Z', 80), { outDir: folder.dir, formats: ['json', 'md'], renderers });
    const second = await writeReport(report('2026-06-01T12:30:05.999Z', 90), { outDir: folder.dir, formats: ['md'], renderers });
    const suiteDir = join(folder.dir, 'demo-suite-1');
    expect(first.dir).toBe(join(suiteDir, '2026-06-01T12-30-05Z'));
    expect(second.dir).toBe(join(suiteDir, '2026-06-01T12-30-05Z-2'));
    expect((await readdir(suiteDir)).sort()).toEqual(['2026-06-01T12-30-05Z', '2026-06-01T12-30-05Z-2', 'latest']);
    expect(second.files).toEqual([join(second.dir, 'report.json'), join(second.dir, 'report.md')]);
    expect(await readFile(join(suiteDir, 'latest', 'report.md'), 'utf8')).toBe('# score 90\n');
    expect(JSON.parse(await readFile(join(first.dir, 'report.json'), 'utf8')).summary.score).toBe(80);
    expect(await readFile(join(first.dir, 'report.json'), 'utf8')).toBe(JSON.stringify(report('2026-06-01T12:30:05.123Z', 80), null, 2) + '\n');
  });

  it('writes only formats it has a renderer for, report.json always', async () => {
    const written = await writeReport(report('2026-06-01T00:00:00.000Z', 1), { outDir: folder.dir, formats: ['html', 'junit'], renderers: { junit: () => '<testsuites/>' } });
    expect((await readdir(written.dir)).sort()).toEqual(['junit.xml', 'report.json']);
  });

  it('leaves nothing half-written when a renderer fails', async () => {
    const failing = () => {
      throw new Error('renderer bug');
    };
    await expect(writeReport(report('2026-06-01T00:00:00.000Z', 1), { outDir: folder.dir, formats: ['md'], renderers: { md: failing } })).rejects.toThrow('renderer bug');
    expect(await readdir(join(folder.dir, 'demo-suite-1'))).toEqual([]);
  });

  it('uses timestamps legal on every file system', () => {
    expect(timestampName('2026-11-21T20:47:57.123Z')).toBe('2026-11-21T20-47-57Z');
  });
});
