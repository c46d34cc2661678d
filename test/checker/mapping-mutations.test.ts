import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../../examples/knowledge/start.js';
import type { CompatReport, Difference } from '../../src/core/model/report.js';
import { runCli, STACK_FRAME, tempDir } from './support/cli.js';

/*
 * The checker's reason to exist: a mapping that is wrong in one place must fail the check (exit
 * 1) and the report must name the endpoint and the field a v1 client would trip over. Each test
 * copies the bundled mapping, breaks one rule, and runs the bundled suite against the example.
 */

let services: ExampleServices;
let folder: { dir: string; remove: () => Promise<void> };
let original: string;

beforeAll(async () => {
  services = await startExampleServices({ v1Port: 0, v2Port: 0 });
  folder = await tempDir();
  original = await readFile('mappings/knowledge.yaml', 'utf8');
});

afterAll(async () => {
  await services?.close();
  await folder?.remove();
});

beforeEach(async () => {
  for (const url of [services.v1.url, services.v2.url]) expect((await fetch(`${url}/__reset`, { method: 'POST' })).status).toBe(204);
});

async function checkWithMapping(name: string, mutate: (text: string) => string): Promise<{ code: number; report: CompatReport; output: string }> {
  const mutated = mutate(original);
  expect(mutated, 'the mutation must change the mapping').not.toBe(original);
  const mapping = join(folder.dir, `${name}.yaml`);
  await writeFile(mapping, mutated, 'utf8');
  const out = join(folder.dir, name);
  const { code, stdout, stderr } = await runCli(['check', '--suite', 'scenarios/knowledge.yaml', '--mapping', mapping, '--v1', services.v1.url, '--v2', services.v2.url, '--repeat', '2', '--warmup', '0', '--out', out]);
  const report = JSON.parse(await readFile(join(out, 'knowledge', 'latest', 'report.json'), 'utf8')) as CompatReport;
  expect(stdout + stderr).not.toMatch(STACK_FRAME);
  return { code, report, output: stdout };
}

function unexplained(report: CompatReport): Difference[] {
  return report.scenarios.flatMap((s) => s.differences.filter((d) => d.label === 'unexplained'));
}

describe('a deliberately wrong mapping', () => {
  it('without the content/body rename: v1 clients get `body` instead of `content`', async () => {
    const { code, report, output } = await checkWithMapping('no-content-rename', (text) => text.replace('    - rename: { v1: content, v2: body }\n', ''));
    expect(code).toBe(1);
    expect(unexplained(report)).toContainEqual(
      expect.objectContaining({ endpoint: 'get-knowledge', pointer: '/body/content', v1: 'Vector databases index embeddings for similarity search.', reason: "v1 sends this; the gateway does not; no mapping step produces it in this exchange" }),
    );
    expect(unexplained(report)).toContainEqual(expect.objectContaining({ endpoint: 'get-knowledge', pointer: '/body/body', actual: 'Vector databases index embeddings for similarity search.' }));
    expect(report.endpoints.find((e) => e.id === 'get-knowledge')).toMatchObject({ verdict: 'blocked' });
    expect(report.summary.verdict).toBe('blocked');
    // One root cause per place across every scenario it breaks, the most scenarios first.
    expect(output).toMatch(/what to fix first:\n(.*\n)* {2}\d\. body(\[\])?\.(body|content): \d+ scenarios, endpoints [a-z-, ]*get-knowledge/);
  });

  it('with a broken priority scale: a v1 client reads priority 6 for a task it created with 3', async () => {
    const { code, report } = await checkWithMapping('priority-scale', (text) => text.replace('scale: { field: priority, v1: [1, 5], v2: [1, 10] }', 'scale: { field: priority, v1: [1, 5], v2: [1, 5] }'));
    expect(code).toBe(1);
    const priorities = unexplained(report).filter((d) => d.pointer === '/body/priority');
    expect(priorities).toContainEqual(expect.objectContaining({ endpoint: 'get-task', v1: 3, actual: 6, step: 1 }));
    expect(priorities).toContainEqual(expect.objectContaining({ endpoint: 'get-task', v1: 5, actual: 10, step: 2 }));
    expect(report.endpoints.find((e) => e.id === 'get-task')).toMatchObject({ verdict: 'blocked', unexplained: 2 });
    expect(report.endpoints.find((e) => e.id === 'get-knowledge')!.verdict).toBe('ready-via-gateway');
  });

  it('without the 200 to 201 status remap on create: v1 clients expecting 201 get 200', async () => {
    const { code, report } = await checkWithMapping('create-status', (text) => text.replace('      - status: { 200: 201 }\n      - resource: { at: body, is: Knowledge }\n      - header: { name: Location', '      - resource: { at: body, is: Knowledge }\n      - header: { name: Location'));
    expect(code).toBe(1);
    expect(unexplained(report)).toContainEqual(expect.objectContaining({ endpoint: 'create-knowledge', pointer: '/status', v1: 201, actual: 200, step: 0 }));
    const flow = report.scenarios.find((s) => s.name === 'create, read back, update, delete')!;
    expect(flow.outcome).toBe('different');
    expect(flow.expectations).toContainEqual({ target: 'gateway', step: 0, message: 'status 200, expected 201' });
    expect(report.endpoints.find((e) => e.id === 'create-knowledge')!.verdict).toBe('blocked');
    expect(report.endpoints.find((e) => e.id === 'update-knowledge')!.verdict).toBe('ready-via-gateway');
  });
});
