import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { compareShown, fragmentKind, namedPaths, normalise, parseReadme, portsIn, remapPorts, withoutRemark, wrapFragment } from './support/readme-blocks.js';

/** The executed-README harness must catch a README that drifts; these pin its conventions. */

const SAMPLE = [
  '# Tool',
  '',
  '## Try it',
  '',
  '1. Start:',
  '',
  '   <!-- readme-test: daemon append="-- --port 8080" -->',
  '   ```sh',
  '   npm start',
  '   ```',
  '',
  '   ```',
  '   listening on http://127.0.0.1:8080',
  '   ```',
  '',
  '<!-- readme-test: exit=2 env="A=1 B=2" -->',
  '```bash',
  'tool lint x.yaml \\',
  '  --strict      # a remark, not output',
  '# x.yaml:1:1 error: broken',
  'tool other',
  '```',
  '',
  '```yaml',
  'name: m',
  '```',
  '',
  'Some text.',
  '',
  '```',
  'a tree, not output',
  '```',
].join('\n');

describe('README blocks', () => {
  const blocks = parseReadme(SAMPLE);

  it('finds runnable blocks, their markers and the heading they belong to', () => {
    expect(blocks.map((block) => [block.kind, block.line, block.heading])).toEqual([
      ['shell', 8, 'Try it'],
      ['shell', 17, 'Try it'],
      ['yaml', 24, 'Try it'],
      ['text', 30, 'Try it'],
    ]);
    expect(blocks[0]!.markers).toEqual({ daemon: '', append: '-- --port 8080' });
    expect(blocks[1]!.markers).toEqual({ exit: '2', env: 'A=1 B=2' });
  });

  it('takes an untagged block right after a runnable one as its output, and other untagged blocks as text', () => {
    expect(blocks[0]!.output).toEqual({ line: 12, lines: ['listening on http://127.0.0.1:8080'] });
    expect(blocks[2]!.output).toBeUndefined();
    expect(blocks[3]!.body).toBe('a tree, not output');
  });

  it('splits commands, joins continuation lines, and reads `# ` lines under a command as its output', () => {
    const [lint, other] = blocks[1]!.commands;
    expect(lint).toEqual({ text: 'tool lint x.yaml \\\n  --strict      # a remark, not output', line: 18, shown: ['x.yaml:1:1 error: broken'] });
    expect(other).toEqual({ text: 'tool other', line: 21, shown: [] });
  });
});

describe('appending to a command', () => {
  it('cuts a trailing remark first, and leaves a # inside quotes alone', () => {
    expect(withoutRemark('api-compat demo --check      # what npm run demo:check runs')).toBe('api-compat demo --check');
    expect(withoutRemark("curl 'http://x/#frag' -d \"a # b\" # remark")).toBe("curl 'http://x/#frag' -d \"a # b\"");
    expect(withoutRemark('echo a#b')).toBe('echo a#b');
  });
});

describe('comparing shown output', () => {
  const context = { folders: ['/tmp/work'] };
  const actual = normalise('> banner\nlistening on http://127.0.0.1:43117\r\nreport /tmp/work/out/2026-11-21T21-02-29Z/r.json in 0.58ms\nend', context);

  it('normalises ports, the scratch folder, timestamps, durations and spacing', () => {
    expect(actual).toEqual(['> banner', 'listening on http://127.0.0.1:<port>', 'report out/<timestamp>/r.json in <ms>', 'end']);
  });

  it('accepts shown lines in order with lines between, `…` inside a line and `...` lines', () => {
    expect(compareShown(normalise('listening on http://127.0.0.1:8080\n...\nend', context), actual).ok).toBe(true);
    expect(compareShown(['report …', 'end'], actual).ok).toBe(true);
  });

  it('rejects a shown line that is missing, changed or out of order', () => {
    expect(compareShown(['listening on 0.0.0.0'], actual)).toEqual({ ok: false, missing: 'listening on 0.0.0.0' });
    expect(compareShown(['end', '> banner'], actual)).toEqual({ ok: false, missing: '> banner' });
    expect(compareShown(['report out'], actual).ok).toBe(false);
  });

  it('with output=exact, rejects lines the README leaves out', () => {
    expect(compareShown(['> banner', 'end'], actual, { exact: true }).ok).toBe(false);
    expect(compareShown(actual, actual, { exact: true }).ok).toBe(true);
  });

  it('takes a negative duration (an overhead under noise) for a duration too', () => {
    expect(normalise('overhead -0.12ms, 3ms', { folders: [] })).toEqual(['overhead <ms>, <ms>']);
  });

  it('replaces what a block declares as varying', () => {
    expect(normalise('ratio 0.75', { folders: [], vary: /\b\d+\.\d\d\b/ })).toEqual(['ratio <varies>']);
  });
});

describe('ports', () => {
  it('maps every README port in URLs, --*port flags and {N} to the run port, and leaves other hosts alone', () => {
    const text = 'curl http://127.0.0.1:8080/x; serve --port 8080 --admin-port=9090 --upstream http://v2.internal:8080; npm start -- --v1-port {4001}';
    expect(portsIn(text).sort()).toEqual([4001, 8080, 8080, 9090]);
    const ports = new Map([
      [8080, 50001],
      [9090, 50002],
      [4001, 50003],
    ]);
    expect(remapPorts(text, ports)).toBe('curl http://127.0.0.1:50001/x; serve --port 50001 --admin-port=50002 --upstream http://v2.internal:8080; npm start -- --v1-port 50003');
  });
});

describe('mapping fragments', () => {
  it('wraps an endpoint into a mapping and replaces a base endpoint with the same id', () => {
    const base = 'name: b\nupstream: http://127.0.0.1:1\nendpoints:\n  - { id: a, v1: GET /a, v2: GET /a }\n  - { id: b, v1: GET /b, v2: GET /b }\n';
    const wrapped = parseYaml(wrapFragment('endpoint', 'id: b\nv1: GET /b\nv2: GET /v2/b\n', base)) as { endpoints: Array<{ id: string; v2: string }> };
    expect(wrapped.endpoints.map((endpoint) => `${endpoint.id} ${endpoint.v2}`)).toEqual(['a GET /a', 'b GET /v2/b']);
  });

  it('wraps steps into one endpoint and resources into an otherwise empty mapping', () => {
    const steps = parseYaml(wrapFragment('response', '- unwrap: body.data\n')) as { endpoints: Array<{ response: unknown }> };
    expect(steps.endpoints[0]!.response).toEqual([{ unwrap: 'body.data' }]);
    const resources = parseYaml(wrapFragment('resources', 'Task: [ { rename: { v1: a, v2: b } } ]\n')) as { resources: object; endpoints: unknown[] };
    expect(Object.keys(resources.resources)).toEqual(['Task']);
    expect(resources.endpoints).toEqual([]);
    expect(() => wrapFragment('nonsense', 'a: 1')).toThrow(/unknown kind/);
  });

  it('reads a yaml block without name (and no suite) as a mapping fragment, a list as its endpoints', () => {
    expect(fragmentKind({}, '- id: a\n  v1: GET /a\n')).toBe('mapping');
    expect(fragmentKind({}, 'endpoints: []\n')).toBe('mapping');
    expect(fragmentKind({}, 'name: whole\nupstream: http://x\n')).toBeUndefined();
    expect(fragmentKind({}, 'suite: s\nscenarios: []\n')).toBeUndefined();
    expect(fragmentKind({ fragment: 'errors' }, '- when: {}\n')).toBe('errors');
    const wrapped = parseYaml(wrapFragment('mapping', 'defaults: { unmappedQuery: drop }\nendpoints: [ { id: a, v1: GET /a, v2: GET /a } ]\n')) as Record<string, unknown>;
    expect(wrapped).toMatchObject({ name: 'README fragment', defaults: { unmappedQuery: 'drop' }, endpoints: [{ id: 'a' }] });
  });
});

describe('named paths', () => {
  it('collects repository paths from prose and links, not placeholders, globs, URLs or code blocks', () => {
    const markdown = 'See `mappings/knowledge.yaml`, [schema](schemas/m.json), `compat-reports/<suite>/`, `mappings/*.yaml`,\n`text/html`, `https://x.test/a`.\n```\nmappings/in-a-block.yaml\n```\n';
    expect(namedPaths(markdown, new Set(['mappings', 'schemas', 'compat-reports']))).toEqual([
      { path: 'mappings/knowledge.yaml', line: 1 },
      { path: 'schemas/m.json', line: 1 },
    ]);
  });
});
