import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/spec/verify.js';
import { runCli } from '../support/cli-harness.js';
import { mappingVariants } from '../support/mapping-variants.js';

const SPECS = ['--v1-spec', 'examples/knowledge/openapi-v1.yaml', '--v2-spec', 'examples/knowledge/openapi-v2.yaml'];
const variants = mappingVariants('mappings/knowledge.yaml');
const mappingWith = variants.mappingWith;

async function verify(mapping: string, ...args: string[]): Promise<{ code: number; report: VerifyReport; stdout: string }> {
  const run = await runCli(['verify', '--mapping', mapping, ...SPECS, '--format', 'json', ...args]);
  return { code: run.code, report: JSON.parse(run.stdout || '{}') as VerifyReport, stdout: run.stdout };
}

describe('api-compat verify', () => {
  it('passes on the bundled example with 200 samples per operation', async () => {
    const { code, report } = await verify('mappings/knowledge.yaml', '--samples', '200', '--seed', '11');
    expect(report.failures).toEqual([]);
    expect(code).toBe(0);
    expect(report.endpoints.filter((e) => e.status === 'passed').map((e) => [e.id, e.runs])).toEqual(
      ['list-knowledge', 'get-knowledge', 'update-knowledge', 'delete-knowledge', 'create-knowledge', 'search', 'create-task', 'get-task'].map((id) => [id, 200]),
    );
    expect(report.endpoints.find((e) => e.id === 'execute')?.status).toBe('skipped');
    expect(report.roundTrips.filter((r) => r.status === 'passed')).toHaveLength(9);
  });

  it('finds a counterexample for a wrong enum map and names the rule', async () => {
    const mapping = await mappingWith('wrong-enum.yaml', 'done: COMPLETED', 'done: DONE');
    const { code, report } = await verify(mapping, '--samples', '200', '--seed', '3');
    expect(code).toBe(1);
    const failure = report.failures.find((f) => f.endpoint === 'get-task')!;
    expect(failure.message).toMatch(/translated response is not valid for the v1 document: body at \/status: must be equal to one of the allowed values/);
    expect(failure.rule).toMatchObject({ pointer: '/resources/Task/2', op: 'enum' });
    const example = failure.counterexample as { v2Responses: { main: { status: number; body: { status: string } } }; v1Response: { body: { status: string } } };
    expect(example.v2Responses.main.status).toBe(200);
    expect(example.v2Responses.main.body.status).toBe('COMPLETED');
    expect(example.v1Response.body.status).toBe('COMPLETED');
  });

  it('finds a counterexample for a wrong scale, shrunk to a small v1 request', async () => {
    const mapping = await mappingWith('wrong-scale.yaml', 'v1: [1, 5], v2: [1, 10]', 'v1: [1, 5], v2: [1, 20]');
    const { code, report } = await verify(mapping, '--samples', '200', '--seed', '5');
    expect(code).toBe(1);
    const failure = report.failures.find((f) => f.endpoint === 'create-task')!;
    expect(failure.message).toMatch(/the v2 request is not valid for the v2 document: body at \/priority: must be <= 10/);
    expect(failure.rule).toMatchObject({ pointer: '/resources/Task/1', op: 'scale' });
    const request = (failure.counterexample as { v1Request: { body: Record<string, unknown> } }).v1Request;
    expect(Object.keys(request.body).sort()).toEqual(['name', 'priority']);
    expect(request.body.name).toBe('');
  });

  it('reports a resource rule that does not give back what it was given', async () => {
    const mapping = await mappingWith('lossy-enum.yaml', 'map: { pending: PENDING, running: RUNNING, done: COMPLETED }', 'map: { pending: running }');
    const { code, report } = await verify(mapping, '--samples', '100', '--seed', '1');
    expect(code).toBe(1);
    const failure = report.failures.find((f) => f.kind === 'round-trip')!;
    expect(failure).toMatchObject({ resource: 'Task', rule: { pointer: '/resources/Task/2', op: 'enum' } });
    expect(failure.message).toMatch(/"status":"running"/);
  });

  it('repeats itself exactly with the same seed, and prints how to', async () => {
    const mapping = await mappingWith('wrong-enum-again.yaml', 'done: COMPLETED', 'done: DONE');
    const [a, b] = [await verify(mapping, '--seed', '99'), await verify(mapping, '--seed', '99')];
    expect(a.stdout).toBe(b.stdout);
    const text = await runCli(['verify', '--mapping', mapping, ...SPECS, '--seed', '99']);
    expect(text.stdout).toMatch(/counterexample \(smallest found\):/);
    expect(text.stdout).toMatch(/repeat with --seed 99/);
  });

  it('exits 2 on a bad document', async () => {
    const run = await runCli(['verify', '--mapping', 'mappings/knowledge.yaml', '--v1-spec', 'nope.yaml', '--v2-spec', 'examples/knowledge/openapi-v2.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope\.yaml:1:1 error: cannot read the file/);
  });
});
