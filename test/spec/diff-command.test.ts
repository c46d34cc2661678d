import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { DiffReport } from '../../src/spec/diff-report.js';
import { runCli } from '../support/cli-harness.js';
import { mappingVariants } from '../support/mapping-variants.js';

const V1 = 'examples/knowledge/openapi-v1.yaml';
const V2 = 'examples/knowledge/openapi-v2.yaml';
const variants = mappingVariants('mappings/knowledge.yaml');
const mappingWith = variants.mappingWith;

async function diffJson(args: string[]): Promise<{ code: number; report: DiffReport; stderr: string }> {
  const run = await runCli(['diff', V1, V2, '--format', 'json', ...args]);
  return { code: run.code, report: JSON.parse(run.stdout || '{}') as DiffReport, stderr: run.stderr };
}

describe('api-compat diff on the bundled example', () => {
  it('lists the breaking changes and finds every one covered by the mapping (exit 0 with --fail-on error)', async () => {
    const { code, report } = await diffJson(['--mapping', 'mappings/knowledge.yaml', '--fail-on', 'error']);
    expect(code).toBe(0);
    const breaking = report.findings.filter((f) => f.level === 'error');
    expect(breaking.length).toBeGreaterThan(30);
    expect(breaking.filter((f) => f.coverage?.status !== 'covered')).toEqual([]);
    expect(report.findings.filter((f) => f.level === 'warn' && f.coverage?.status !== 'covered')).toEqual([]);
    const rename = breaking.find((f) => f.rule === 'response-property-renamed' && f.operation === 'GET /api/v1/knowledge/{id}' && f.v1Path === 'body.content');
    expect(rename?.coverage?.by).toMatchObject({ pointer: '/resources/Knowledge/1', op: 'rename', endpoint: 'get-knowledge' });
    expect(breaking.find((f) => f.rule === 'endpoint-removed' && f.operation === 'POST /execute')?.coverage?.by?.op).toBe('removed');
    expect(report.unmapped).toEqual(['POST /__reset']);
    expect(report.mappingProblems).toEqual([]);
  });

  it('marks the finding uncovered and exits 1 when a rename is dropped from a copy of the mapping', async () => {
    const mapping = await mappingWith('dropped-rename.yaml', '    - rename: { v1: content, v2: body }\n', '');
    const { code, report } = await diffJson(['--mapping', mapping, '--fail-on', 'error']);
    expect(code).toBe(1);
    const uncovered = report.findings.filter((f) => f.coverage?.status === 'uncovered');
    expect(uncovered.length).toBeGreaterThan(0);
    // Only places that hold content: the field itself, and the lists and bodies it travels in.
    expect(uncovered.filter((f) => !(f.v1Path?.includes('content') || f.v2Path === 'body.body' || ['body', 'body.results'].includes(f.v1Path ?? '')))).toEqual([]);
    const rename = uncovered.find((f) => f.rule === 'response-property-renamed' && f.operation === 'GET /api/v1/knowledge/{id}');
    expect(rename?.coverage?.reason).toMatch(/content/);
    expect(rename?.failing).toBe(true);
    expect(report.summary.failing).toBe(report.findings.filter((f) => f.failing).length);
  });

  it('finds a wrong enum value in the mapping uncovered', async () => {
    const mapping = await mappingWith('wrong-enum.yaml', 'done: COMPLETED', 'done: DONE');
    const { code, report } = await diffJson(['--mapping', mapping, '--fail-on', 'warn']);
    expect(code).toBe(1);
    const status = report.findings.find((f) => f.rule === 'response-enum-value-added' && f.operation === 'GET /tasks/{id}');
    expect(status?.coverage).toMatchObject({ status: 'uncovered' });
    expect(status?.coverage?.reason).toMatch(/status/);
  });

  it('reports mapping entries naming routes or fields the documents do not have', async () => {
    const typoRoute = await mappingWith('typo-route.yaml', 'v2: GET /api/v2/tasks/{id}', 'v2: GET /api/v2/task/{id}');
    const { code, report } = await diffJson(['--mapping', typoRoute, '--fail-on', 'error']);
    expect(code).toBe(1);
    expect(report.mappingProblems).toContainEqual({ pointer: '/endpoints/7/v2', message: expect.stringMatching(/GET \/api\/v2\/task\/\{id\} is not an operation of the v2 document; did you mean \/api\/v2\/tasks\/\{id\}\?/) });
    const typoField = await mappingWith('typo-field.yaml', 'rename: { v1: type, v2: knowledge_type }', 'rename: { v1: type, v2: knowledge_typ }');
    const fields = await diffJson(['--mapping', typoField]);
    expect(fields.report.mappingProblems).toContainEqual({ pointer: '/resources/Knowledge/2', message: expect.stringMatching(/`knowledge_typ` is no field of any v2 message.*did you mean `knowledge_type`\?/) });
  });

  it('without a mapping, fails on uncovered errors; a waivers file accepts them by fingerprint', async () => {
    const first = await diffJson(['--fail-on', 'error']);
    expect(first.code).toBe(1);
    const errors = first.report.findings.filter((f) => f.level === 'error');
    expect(errors.length).toBeGreaterThan(10);
    const waivers = await variants.workspace().write('waivers.yaml', `waivers:\n${errors.map((f) => `  - fingerprint: ${f.fingerprint}\n    reason: accepted for the test\n`).join('')}  - fingerprint: 0123456789abcdef\n    reason: a finding that went away\n`);
    const second = await diffJson(['--fail-on', 'error', '--waivers', waivers]);
    expect(second.code).toBe(0);
    expect(second.report.summary.waived).toBe(errors.length);
    expect(second.report.staleWaivers).toEqual(['0123456789abcdef']);
    // Fingerprints do not depend on the run or on the mapping.
    const withMapping = await diffJson(['--mapping', 'mappings/knowledge.yaml']);
    const same = withMapping.report.findings.find((f) => f.rule === 'response-type-changed' && f.operation === 'GET /tasks/{id}');
    expect(first.report.findings.find((f) => f.rule === 'response-type-changed' && f.operation === 'GET /tasks/{id}')?.fingerprint).toBe(same?.fingerprint);
  });

  it('rejects a bad waivers file with its line and a bad --fail-on, exit 2', async () => {
    const bad = await variants.workspace().write('bad-waivers.yaml', 'waivers:\n  - fingerprint: xyz\n    reason: r\n');
    const run = await runCli(['diff', V1, V2, '--waivers', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad-waivers\.yaml:2:\d+ error at \/waivers\/0\/fingerprint: fingerprint must be the 16 hexadecimal digits/);
    expect((await runCli(['diff', V1, V2, '--fail-on', 'fatal'])).code).toBe(2);
    const missing = await runCli(['diff', V1, 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml:1:1 error: cannot read the file/);
  });

  it('writes text, Markdown for a pull request, and SARIF with locations in the documents', async () => {
    const text = await runCli(['diff', V1, V2, '--mapping', 'mappings/knowledge.yaml']);
    expect(text.stdout).toMatch(/GET \/api\/v1\/search -> POST \/api\/v2\/query\/advanced-search/);
    expect(text.stdout).toMatch(/✓ error endpoint-method-changed {2}operation: method changed from GET to POST/);
    expect(text.stdout).toMatch(/covered by \/endpoints\/5\/v2 \(route\)/);
    const md = await runCli(['diff', V1, V2, '--mapping', 'mappings/knowledge.yaml', '--format', 'md']);
    expect(md.stdout).toMatch(/^### API changes: Knowledge API v1 .* → Knowledge API v2\n/);
    expect(md.stdout).toMatch(/\| ✅ \| error \| `endpoint-removed` \| `POST \/execute` \|/);
    const out = `${variants.workspace().dir}/diff.sarif`;
    const sarifRun = await runCli(['diff', V1, V2, '--format', 'sarif', '--out', out]);
    expect(sarifRun.code).toBe(0);
    const sarif = JSON.parse(await readFile(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'endpoint-removed');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(V1);
    expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('endpoint-removed');
  });
});
