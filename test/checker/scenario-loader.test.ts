import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSuiteFile } from '../../src/io/load-scenario.js';
import { SourceLoadError } from '../../src/io/yaml-source.js';
import { fillTarget, fillValue } from '../../src/core/scenario/placeholders.js';
import { runCli, tempDir } from './support/cli.js';

let folder: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  folder = await tempDir();
});

afterAll(async () => {
  await folder.remove();
});

async function suiteFile(name: string, text: string): Promise<string> {
  const file = join(folder.dir, name);
  await writeFile(file, text, 'utf8');
  return file;
}

async function loadErrors(file: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadSuiteFile(file, { env });
  } catch (error) {
    if (error instanceof SourceLoadError) return error.message.split('\n');
    throw error;
  }
  throw new Error(`${file} loaded without errors`);
}

describe('loading a scenario suite', () => {
  it('compiles single requests and flows; captures survive environment substitution', async () => {
    const file = await suiteFile(
      'good.yaml',
      [
        'suite: good',
        'headers: { Authorization: "Bearer ${TOKEN}" }',
        'reset: { v1: POST /__reset, v2: { command: "true", timeout: 500 } }',
        'ignore: [headers.date]',
        'compareHeaders: [ETag]',
        'match: { body.**.updated_at: { timestamp: 5m } }',
        'scenarios:',
        '  - name: one call',
        '    tags: [smoke]',
        '    request: { method: get, path: /items, query: { q: "a b", tag: [x, y] } }',
        '  - name: a flow',
        '    reset: true',
        '    steps:',
        '      - request: { method: POST, path: /items, body: { name: n } }',
        '        expect: { status: [200, 201], headers: { location: { $regex: "^/items/" } } }',
        '        capture: { id: body.id }',
        '      - request: GET /items/${id}?v=${id}',
        '      - request: { method: POST, path: /run, body: { item: "${id}", label: "item ${id}" } }',
      ].join('\n'),
    );
    const { suite } = await loadSuiteFile(file, { env: { TOKEN: 'secret' } });
    expect(suite.headers).toEqual({ authorization: 'Bearer secret' });
    expect(suite.compareHeaders.slice(0, 4)).toEqual(['content-type', 'location', 'link', 'x-total-count']);
    expect(suite.compareHeaders.at(-1)).toBe('etag');
    expect(suite.reset).toEqual({
      v1: { kind: 'http', method: 'POST', target: '/__reset', headers: {}, text: 'POST /__reset' },
      v2: { kind: 'command', command: 'true', timeoutMs: 500, text: 'true' },
    });
    const [single, flow] = suite.scenarios;
    expect(single!.steps[0]!.request).toEqual({ method: 'GET', target: '/items?q=a%20b&tag=x&tag=y', headers: {} });
    expect(flow!.steps.map((step) => step.request.target)).toEqual(['/items', '/items/${id}?v=${id}', '/run']);
    expect(flow!.steps[0]!.request.headers).toEqual({ 'content-type': 'application/json' });

    const captures = new Map<string, unknown>([['id', 7]]);
    expect(fillTarget(flow!.steps[1]!.request.target, captures)).toBe('/items/7?v=7');
    expect(fillValue(flow!.steps[2]!.request.body, captures)).toEqual({ item: 7, label: 'item 7' });
  });

  it('points at file:line:column, the JSON pointer and a fix for schema problems', async () => {
    const file = await suiteFile('schema.yaml', ['suite: broken', 'scenarios:', '  - name: typo', '    reqest: GET /x', '  - name: fine', '    request: GET /x'].join('\n'));
    const errors = await loadErrors(file);
    expect(errors).toContain(`${file}:4:5 error at /scenarios/0/reqest: unknown property "reqest"; did you mean "request"? Allowed here: name, description, tags, reset, repeat, ignore, match, request, expect, capture, steps, compareHeaders, warmup, knownGap`);
    expect(errors).toHaveLength(1);
  });

  it('reports every semantic problem at once, each at its line', async () => {
    const file = await suiteFile(
      'semantics.yaml',
      [
        'suite: broken',
        'scenarios:',
        '  - name: uses an id nobody captured',
        '    request: GET /items/${id}',
        '  - name: bad matchers',
        '    match: { body.x: { regx: a }, "body..y": type }',
        '    ignore: [bdy.x]',
        '    request: GET /x',
        '  - name: bad capture and expectation',
        '    reset: true',
        '    steps:',
        '      - request: GET /x',
        '        capture: { id: "body.items[].id" }',
        '        expect: { body: { a: { $type: int } } }',
        '  - name: bad capture and expectation',
        '    request: { method: FETCH, path: /x }',
      ].join('\n'),
    );
    const errors = await loadErrors(file);
    expect(errors).toEqual([
      `${file}:4:5 error at /scenarios/0/request: \${id} is not captured by an earlier step; add capture: { id: body.id } to a step before this one (upper-case names are environment variables)`,
      `${file}:7:14 error at /scenarios/1/ignore/0: invalid path "bdy.x": a path starts with one of status, headers, body (what a v1 client sees)`,
      `${file}:6:14 error at /scenarios/1/match/body.x: unknown matcher "regx"; matchers: type, regex, prefix, tolerance, timestamp, unordered`,
      `${file}:6:35 error at /scenarios/1/match/body..y: invalid path "body..y": empty name between dots`,
      `${file}:13:20 error at /scenarios/2/steps/0/capture/id: invalid path "body.items[].id": a capture takes one value; use an index-free path such as body.id`,
      `${file}:14:32 error at /scenarios/2/steps/0/expect/body/a/$type: "int" is not one of null, boolean, number, integer, string, array, object`,
      `${file}:10:5 error at /scenarios/2/reset: this scenario asks for a reset, but the suite declares no reset hooks; add reset: { v1: POST /__reset, v2: POST /__reset } at the top level`,
      `${file}:15:5 error at /scenarios/3/name: scenario name "bad capture and expectation" is already used by scenario 2; names identify scenarios in reports, so they must be unique`,
      `${file}:16:16 error at /scenarios/3/request/method: "FETCH" is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`,
    ]);
  });

  it('names a missing environment variable where it is used', async () => {
    const file = await suiteFile('env.yaml', ['suite: env', 'headers: { authorization: "Bearer ${API_TOKEN}" }', 'scenarios:', '  - { name: a, request: GET /a }'].join('\n'));
    expect(await loadErrors(file)).toEqual([`${file}:2:12 error at /headers/authorization: environment variable API_TOKEN is not set; set it, or write \${API_TOKEN:-default}`]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const file = await suiteFile('syntax.yaml', 'suite: x\nscenarios:\n  - name: a\n    request: [GET /a\n');
    const [error] = await loadErrors(file);
    expect(error).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ error: YAML syntax`));
  });
});

describe('api-compat lint on suites', () => {
  it('accepts the bundled suite and checks it against its mapping', async () => {
    const { code, stdout, stderr } = await runCli(['lint', 'scenarios/knowledge.yaml', 'mappings/knowledge.yaml']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/scenarios\/knowledge\.yaml: ok \(scenario suite: \d+ scenarios, \d+ requests, checked against its mapping\)/);
    expect(stdout).toMatch(/mappings\/knowledge\.yaml: ok/);
  });

  it('warns about requests no endpoint maps, and fails on errors with exit 2', async () => {
    const mapped = await suiteFile('mapped.yaml', ['suite: mapped', `mapping: ${join(process.cwd(), 'mappings/knowledge.yaml')}`, 'scenarios:', '  - { name: a, request: GET /nowhere }'].join('\n'));
    const withWarning = await runCli(['lint', mapped]);
    expect(withWarning.code).toBe(0);
    expect(withWarning.stderr).toContain(`${mapped}:4:16 warning at /scenarios/0/request: GET /nowhere matches no endpoint of mapping "knowledge v1 to v2"; it will be scored as an unmapped route`);
    const broken = await runCli(['lint', await suiteFile('broken.yaml', 'scenarios: []\n')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/missing required property "suite"/);
  });
});
