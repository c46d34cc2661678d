import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli-harness.js';
import { KNOWLEDGE_MAPPING } from './support/example-stack.js';

let workspace: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  workspace = await tempDir();
});
afterEach(() => workspace.remove());

const page = (name: string) => readFile(join(workspace.dir, 'knowledge', name), 'utf8');

describe('api-compat guide', () => {
  it('writes an index and one page per endpoint of the mapping', async () => {
    const run = await runCli(['guide', '--mapping', KNOWLEDGE_MAPPING, '--out', workspace.dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = (await readdir(join(workspace.dir, 'knowledge'))).sort();
    expect(files).toEqual(
      ['index.md', 'create-knowledge.md', 'create-task.md', 'delete-knowledge.md', 'execute.md', 'get-knowledge.md', 'get-task.md', 'list-knowledge.md', 'search.md', 'update-knowledge.md'].sort(),
    );
    const index = await page('index.md');
    expect(index).toContain('v1 is deprecated since 2026-06-01; it stops answering on 2027-03-01.');
    expect(index).toContain('| [`GET /api/v1/search`](search.md) | `POST /api/v2/query/advanced-search` |');
    expect(index).toContain('removed: use `POST /api/v2/tasks`');
  });

  it('explains each change in the words of the mapping, resource fields and supporting calls included', async () => {
    await runCli(['guide', '--mapping', KNOWLEDGE_MAPPING, '--out', workspace.dir]);
    const search = await page('search.md');
    expect(search).toContain('- Call `POST /api/v2/query/advanced-search` instead of `GET /api/v1/search`.');
    expect(search).toContain('- `query.limit` moved to `body.limit` (as integer).');
    expect(search).toContain('- `content` is now called `body`.');
    const getKnowledge = await page('get-knowledge.md');
    expect(getKnowledge).toContain('v2 serves part of this answer at `GET /api/v2/knowledge/{id}/related`');
    const task = await page('get-task.md');
    expect(task).toMatch(/Priorities are 1 to 10 in v2.*\*\*Lossy:\*\*/);
    expect(await page('execute.md')).toContain('Use `POST /api/v2/tasks` instead.');
  });

  it('adds each endpoint\'s readiness from a report', async () => {
    const check = await runCli(['demo', '--check', '--out', workspace.dir, '--performance-threshold', '1000']);
    expect(check.code).toBe(0);
    const run = await runCli(['guide', '--mapping', KNOWLEDGE_MAPPING, '--report', join(workspace.dir, 'knowledge', 'latest', 'report.json'), '--out', join(workspace.dir, 'guides')]);
    expect(run.code).toBe(0);
    const index = await readFile(join(workspace.dir, 'guides', 'knowledge', 'index.md'), 'utf8');
    expect(index).toContain('| [`GET /tasks/{id}`](get-task.md) | `GET /api/v2/tasks/{id}` | ready-via-gateway (100) |');
    expect(index).toContain('| [`POST /execute`](execute.md) | removed: use `POST /api/v2/tasks` | removed (100) |');
  });

  it('rejects a report that is not a compatibility report (exit 2)', async () => {
    const bogus = join(workspace.dir, 'bogus.json');
    await writeFile(bogus, JSON.stringify({ reportVersion: 1, endpoints: 'nope' }));
    const run = await runCli(['guide', '--mapping', KNOWLEDGE_MAPPING, '--report', bogus, '--out', workspace.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--report .*bogus\.json at/);
  });
});
