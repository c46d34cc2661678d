import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli-harness.js';

const SPECS = ['--v1-spec', 'examples/knowledge/openapi-v1.yaml', '--v2-spec', 'examples/knowledge/openapi-v2.yaml'];
let workspace: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  workspace = await tempDir();
});
afterAll(() => workspace.remove());

describe('api-compat guide with both OpenAPI documents', () => {
  it("lists each endpoint's breaking changes and the mapping rule that handles each", async () => {
    const run = await runCli(['guide', '--mapping', 'mappings/knowledge.yaml', ...SPECS, '--out', workspace.dir]);
    expect(run.code).toBe(0);
    const page = await readFile(`${workspace.dir}/knowledge/get-task.md`, 'utf8');
    expect(page).toContain('## Changes in the OpenAPI documents');
    expect(page).toMatch(/- ✅ \*\*error\*\* `response-type-changed` `response 200 body\.id`: type changed from integer to string \(the gateway handles it: coerce at \/resources\/Task\/0\)/);
    const removed = await readFile(`${workspace.dir}/knowledge/execute.md`, 'utf8');
    expect(removed).toMatch(/- ✅ \*\*error\*\* `endpoint-removed`/);
  });

  it('marks what a broken mapping leaves unhandled', async () => {
    const mapping = (await readFile('mappings/knowledge.yaml', 'utf8')).replace('    - rename: { v1: content, v2: body }\n', '');
    const file = await workspace.write('dropped.yaml', mapping);
    const out = `${workspace.dir}/dropped-out`;
    expect((await runCli(['guide', '--mapping', file, ...SPECS, '--out', out])).code).toBe(0);
    const page = await readFile(`${out}/dropped/get-knowledge.md`, 'utf8');
    expect(page).toMatch(/- ❌ \*\*error\*\* `response-property-renamed` `response 200 body\.content`: property `content` is called `body` in v2 \(not handled: /);
  });

  it('needs both documents or neither', async () => {
    const run = await runCli(['guide', '--mapping', 'mappings/knowledge.yaml', '--v1-spec', 'examples/knowledge/openapi-v1.yaml', '--out', workspace.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/give both --v1-spec and --v2-spec/);
  });
});
