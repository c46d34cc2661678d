import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KNOWLEDGE_MAPPING } from './support/example-stack.js';
import { runCli, tempDir } from './support/cli-harness.js';

/**
 * A broken mapping must fail before anything serves, with the file, line and column, the JSON
 * pointer and a sentence that says how to fix it: in `lint` and in `serve` alike (exit 2).
 */
let workspace: Awaited<ReturnType<typeof tempDir>>;
let original: string;
beforeEach(async () => {
  workspace = await tempDir();
  original = await readFile(KNOWLEDGE_MAPPING, 'utf8');
});
afterEach(() => workspace.remove());

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${needle}`);
  return text.slice(0, index).split('\n').length;
}

const mutations: Array<{ name: string; from: string; to: string; expect: RegExp; at: string }> = [
  {
    name: 'bad YAML (a key given twice)',
    from: 'description: The knowledge and task API',
    to: 'name: again\ndescription: The knowledge and task API',
    expect: /YAML syntax: Map keys must be unique/,
    at: 'name: again',
  },
  {
    name: 'an unknown op',
    from: '      - move: { from: query.page, to: "query.page[number]" }',
    to: '      - mvoe: { from: query.page, to: "query.page[number]" }',
    expect: /unknown property "mvoe"; did you mean "move"\?/,
    at: 'mvoe:',
  },
  {
    name: 'a typo in a resource name',
    from: '      - resource: { at: body, is: Task }\n\n  - id: execute',
    to: '      - resource: { at: body, is: Taks }\n\n  - id: execute',
    expect: /unknown resource "Taks"; did you mean "Task"\?/,
    at: 'is: Taks',
  },
  {
    name: 'a "**" path where a deep resource is meant',
    from: '      - resource: { at: body, is: Task }\n\n  - id: execute',
    to: '      - resource: { at: "body.**", is: Task }\n\n  - id: execute',
    expect: /"\*\*" is not part of one; to apply the rules at every depth write \{ at: body, is: Task, deep: true \}/,
    at: '- resource: { at: "body.**"',
  },
  {
    name: 'an onMismatch that is neither fail nor keep',
    from: '    - coerce: { field: id, v1: integer, v2: string }',
    to: '    - coerce: { field: id, v1: integer, v2: string, onMismatch: skip }',
    expect: /onMismatch.*(fail|keep)/,
    at: 'onMismatch: skip',
  },
  {
    name: 'a v2 path parameter nothing provides',
    from: '    v2: GET /api/v2/tasks/{id}',
    to: '    v2: GET /api/v2/tasks/{task_id}',
    expect: /the v2 path uses \{task_id\} but nothing provides it/,
    at: 'v2: GET /api/v2/tasks/{task_id}',
  },
  {
    name: 'a rule that cannot run both ways inside a resource',
    from: '    - rename: { v1: type, v2: knowledge_type }',
    to: '    - remove: type',
    expect: /"remove" is not a resource rule/,
    at: '    - remove: type',
  },
  {
    name: 'a header both allowed and denied toward v2',
    from: '  guide: https://example.com/knowledge/migrate-to-v2\n',
    to: '  guide: https://example.com/knowledge/migrate-to-v2\nupstreamHeaders:\n  allow: [accept, x-tenant-id]\n  deny: [x-tenant-*]\n',
    expect: /allow entry "x-tenant-id" is cancelled by deny entry "x-tenant-\*": a header cannot be both allowed and denied; remove one of them/,
    at: '  allow: [accept, x-tenant-id]',
  },
  {
    name: 'a hop-by-hop header in an endpoint\'s upstream header list',
    from: '    v2: GET /api/v2/tasks/{id}\n',
    to: '    v2: GET /api/v2/tasks/{id}\n    upstreamHeaders: { allow: [accept, connection] }\n',
    expect: /"connection" is never forwarded: it is hop-by-hop or recomputed for each hop \(RFC 9110 section 7.6.1\); remove it from allow/,
    at: '    upstreamHeaders: { allow: [accept, connection] }',
  },
  {
    name: 'a misspelt credential in the upstream header allow list',
    from: '    v2: GET /api/v2/tasks/{id}\n',
    to: '    v2: GET /api/v2/tasks/{id}\n    upstreamHeaders: { allow: ["*", autorization] }\n',
    expect: /"autorization" is not a header the gateway knows; did you mean "authorization"\?/,
    at: '    upstreamHeaders: { allow: ["*", autorization] }',
  },
  {
    name: 'a request step reading a header that is kept from v2',
    from: '      - remove: body.metadata\n',
    to: '      - remove: body.metadata\n      - copy: { from: headers.authorization, to: body.owner }\n',
    expect: /this step reads headers.authorization, which upstreamHeaders keeps from v2 requests, so it would always find nothing; read request.headers.authorization/,
    at: '      - copy: { from: headers.authorization, to: body.owner }',
  },
  {
    name: 'an unset environment variable without a default',
    from: 'upstream: ${V2_URL:-http://127.0.0.1:4002}',
    to: 'upstream: ${API_COMPAT_TEST_UNSET_URL}',
    expect: /environment variable API_COMPAT_TEST_UNSET_URL is not set; set it, or write \$\{API_COMPAT_TEST_UNSET_URL:-default\}/,
    at: 'upstream:',
  },
];

describe.each(mutations)('a mapping with $name', (mutation) => {
  async function brokenFile(): Promise<{ file: string; line: number }> {
    expect(original).toContain(mutation.from);
    const text = original.replace(mutation.from, mutation.to);
    return { file: await workspace.write('broken.yaml', text), line: lineOf(text, mutation.at) };
  }

  it('fails lint with exit 2 at the right line', async () => {
    const { file, line } = await brokenFile();
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(mutation.expect);
    expect(run.stderr).toContain(`${file}:${line}:`);
  });

  it('stops serve before it listens, with exit 2 and the same message', async () => {
    const { file, line } = await brokenFile();
    const run = await runCli(['serve', '--mapping', file, '--port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(mutation.expect);
    expect(run.stderr).toContain(`${file}:${line}:`);
    expect(run.stderr).not.toContain('gateway listening');
  });
});

describe('lint', () => {
  it('passes the bundled mapping with exit 0', async () => {
    const run = await runCli(['lint', KNOWLEDGE_MAPPING]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ok \(9 endpoints, 2 resources\)/);
  });

  it('reports a missing file as bad input', async () => {
    const run = await runCli(['lint', `${workspace.dir}/missing.yaml`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('file not found');
  });

  it('reports every problem of a file at once, each with its pointer', async () => {
    const text = original
      .replace('    - rename: { v1: type, v2: knowledge_type }', '    - rename: { v1: type, v2: metadata.kind }')
      .replace('done: COMPLETED', 'done: RUNNING');
    const file = await workspace.write('two-problems.yaml', text);
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('at /resources/Knowledge/2/rename');
    expect(run.stderr).toMatch(/different parents; use move/);
    expect(run.stderr).toContain('at /resources/Task/2/enum');
    expect(run.stderr).toMatch(/"RUNNING" is the v2 value of both "running" and "done"/);
  });
});
