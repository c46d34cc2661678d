import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, tempDir } from '../support/cli-harness.js';

const SPECS = ['--v1-spec', 'examples/knowledge/openapi-v1.yaml', '--v2-spec', 'examples/knowledge/openapi-v2.yaml'];
let workspace: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  workspace = await tempDir();
});
afterAll(() => workspace.remove());

describe('api-compat init', () => {
  it('writes a draft for the example that lints clean and pairs the endpoints whose operationIds match', async () => {
    const out = `${workspace.dir}/draft.yaml`;
    const run = await runCli(['init', ...SPECS, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/8 by operationId/);
    const lint = await runCli(['lint', out]);
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(0);
    const text = await readFile(out, 'utf8');
    const draft = parse(text) as { endpoints: Array<{ id: string; v1: string; v2?: string; removed?: unknown; response?: unknown[] }> };
    const routes = Object.fromEntries(draft.endpoints.map((e) => [e.v1, e.v2 ?? 'removed']));
    expect(routes).toMatchObject({
      'GET /api/v1/knowledge': 'GET /api/v2/knowledge',
      'POST /api/v1/knowledge/add': 'POST /api/v2/knowledge',
      'GET /api/v1/knowledge/{id}': 'GET /api/v2/knowledge/{id}',
      'PUT /api/v1/knowledge/{id}': 'PATCH /api/v2/knowledge/{id}',
      'DELETE /api/v1/knowledge/{id}': 'DELETE /api/v2/knowledge/{id}',
      'POST /tasks': 'POST /api/v2/tasks',
      'GET /tasks/{id}': 'GET /api/v2/tasks/{id}',
      'GET /api/v1/search': 'POST /api/v2/query/advanced-search',
      'POST /execute': 'removed',
    });
    // Renames are proposed by name and type, each marked for review with a confidence.
    expect(text).toMatch(/- rename: \{ from: "body\.knowledge_type", to: "body\.type" \} {3}# review: type and knowledge_type are both string enum\(article\|note\|snippet\) \(confidence 0\.90\)/);
    expect(text).toMatch(/- status: \{ 200: 204 \}/);
    expect(text).toMatch(/v2: "POST \/api\/v2\/query\/advanced-search" {3}# review: paired by path similarity/);
  });

  it('prints the draft without --out, and diff finds its proposed renames covering the findings', async () => {
    const run = await runCli(['init', ...SPECS]);
    expect(run.code).toBe(0);
    const file = await workspace.write('printed.yaml', run.stdout);
    const diff = await runCli(['diff', 'examples/knowledge/openapi-v1.yaml', 'examples/knowledge/openapi-v2.yaml', '--mapping', file, '--format', 'json']);
    const report = JSON.parse(diff.stdout) as { findings: Array<{ rule: string; operation: string; v1Path?: string; coverage?: { status: string } }> };
    const renamed = report.findings.find((f) => f.rule === 'response-property-renamed' && f.operation === 'GET /api/v1/knowledge/{id}' && f.v1Path === 'body.type');
    expect(renamed?.coverage?.status).toBe('covered');
  });

  it('says when v2 asks for credentials, which the gateway forwards only when the mapping says so', async () => {
    const spec = (title: string, path: string, security: string) =>
      [
        'openapi: 3.0.3',
        `info: { title: ${title}, version: "1" }`,
        'paths:',
        `  ${path}:`,
        '    get:',
        '      operationId: listItems',
        `      security: ${security}`,
        '      responses: { "200": { description: ok } }',
        'components: { securitySchemes: { bearerAuth: { type: http, scheme: bearer } } }',
      ].join('\n');
    const v1 = await workspace.write('secured-v1.yaml', spec('shop', '/items', '[]'));
    const v2 = await workspace.write('secured-v2.yaml', spec('shop', '/v2/items', '[{ bearerAuth: [] }]'));
    const out = `${workspace.dir}/secured-draft.yaml`;
    expect((await runCli(['init', '--v1-spec', v1, '--v2-spec', v2, '--out', out])).code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('# review: v2 asks for credentials (bearerAuth) on 1 of the paired operations.');
    expect((await runCli(['lint', out])).code).toBe(0);
    // The commented line is a valid policy once uncommented.
    const uncommented = await workspace.write('secured-uncommented.yaml', text.replace('# upstreamHeaders:', 'upstreamHeaders:'));
    const lint = await runCli(['lint', uncommented]);
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(0);
  });

  it('exits 2 when a document cannot be read', async () => {
    const run = await runCli(['init', '--v1-spec', 'missing.yaml', '--v2-spec', 'examples/knowledge/openapi-v2.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.yaml:1:1 error: cannot read the file/);
  });
});
