import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../../examples/knowledge/start.js';
import type { CompatReport } from '../../src/core/model/report.js';
import { validateAgainstSchema } from '../../src/io/schema-validation.js';
import { runCli, tempDir } from '../support/cli-harness.js';

/** check --v1-spec --v2-spec: the uncovered breaking changes term of the score, and the lists in every report. */
const SPECS = ['--v1-spec', 'examples/knowledge/openapi-v1.yaml', '--v2-spec', 'examples/knowledge/openapi-v2.yaml'];
let services: ExampleServices;
let folder: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  services = await startExampleServices({ v1Port: 0, v2Port: 0 });
  folder = await tempDir();
});
afterAll(async () => {
  await services?.close();
  await folder?.remove();
});

async function check(mapping: string, out: string): Promise<{ code: number; report: CompatReport; md: string; junit: string }> {
  const run = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--mapping', mapping, '--v1', services.v1.url, '--v2', services.v2.url, '--repeat', '1', '--warmup', '0', '--out', out, ...SPECS]);
  const dir = join(out, 'knowledge', 'latest');
  const [report, md, junit] = await Promise.all([readFile(join(dir, 'report.json'), 'utf8'), readFile(join(dir, 'report.md'), 'utf8'), readFile(join(dir, 'junit.xml'), 'utf8')]);
  return { code: run.code, report: JSON.parse(report) as CompatReport, md, junit };
}

describe('api-compat check with both OpenAPI documents', () => {
  it('scores the covered breaking changes of the bundled example as a component', async () => {
    // Verdicts also weigh latency, which depends on this machine; only what the documents add is asserted.
    const { report, md } = await check('mappings/knowledge.yaml', join(folder.dir, 'covered'));
    expect(validateAgainstSchema('report', report)).toEqual([]);
    for (const endpoint of report.endpoints) expect(endpoint.breakingChanges, endpoint.id).toEqual([]);
    expect(report.endpoints.every((e) => e.components.find((c) => c.name === 'breaking')?.value === 1)).toBe(true);
    const task = report.endpoints.find((e) => e.id === 'get-task')!;
    expect(task.components.find((c) => c.name === 'breaking')).toMatchObject({ value: 1, weight: 0.15, detail: expect.stringMatching(/^\d+ of \d+ breaking changes covered by the mapping$/) });
    expect(task.breakingChanges).toEqual([]);
    expect(report.formula).toMatch(/breaking \(with --v1-spec and --v2-spec\)/);
    expect(md).not.toMatch(/Uncovered breaking changes/);
  });

  it('lists what a mapping without the content rename leaves uncovered, in report.json, report.md and junit.xml', async () => {
    const text = (await readFile('mappings/knowledge.yaml', 'utf8')).replace('    - rename: { v1: content, v2: body }\n', '').replace('../schemas/', '../../schemas/');
    const mapping = await folder.write('dropped.yaml', text);
    const { code, report, md, junit } = await check(mapping, join(folder.dir, 'dropped'));
    expect(code).toBe(1);
    expect(validateAgainstSchema('report', report)).toEqual([]);
    const get = report.endpoints.find((e) => e.id === 'get-knowledge')!;
    expect(get.verdict).toBe('blocked');
    expect(get.breakingChanges).toContainEqual(expect.objectContaining({ rule: 'response-property-renamed', level: 'error', where: 'response 200 body.content' }));
    const component = get.components.find((c) => c.name === 'breaking')!;
    expect(component.value).toBeLessThan(1);
    // Recomputed from the components as the report's formula says: fidelity × (1 − Σ weight × (1 − value)).
    const fidelity = get.components.find((c) => c.name === 'fidelity')!.value;
    const penalty = get.components.filter((c) => c.name !== 'fidelity').reduce((sum, c) => sum + c.weight * (1 - c.value), 0);
    expect(get.score).toBeCloseTo(100 * fidelity * Math.max(0, 1 - penalty), 0);
    expect(md).toMatch(/### Uncovered breaking changes \(\d+\)/);
    expect(md).toMatch(/`get-knowledge` \*\*error\*\* `response-property-renamed` `response 200 body\.content`/);
    expect(junit).toMatch(/uncovered breaking change, endpoint get-knowledge: error response-property-renamed response 200 body\.content: /);
  });

  it('needs both documents or neither', async () => {
    const run = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--v1', services.v1.url, '--v2', services.v2.url, '--v1-spec', 'examples/knowledge/openapi-v1.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/give both --v1-spec and --v2-spec/);
  });
});
