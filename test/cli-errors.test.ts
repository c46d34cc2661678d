import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../examples/knowledge/start.js';
import { runCli, tempDir } from './support/cli-harness.js';

/*
 * Every bad input, one table: the exit code (2 bad input or configuration, 3 runtime failure),
 * one line in the CLI's style `api-compat <command>: what went wrong: how to fix it`, the paths
 * exactly as typed, and never a stack trace. Commands run in a scratch folder holding copies of
 * the bundled mapping and suite, so every path in the table is relative, as a user types it.
 */

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const STACK_FRAME = /^\s+at .+[:(]\d+/m;

let workspace: Awaited<ReturnType<typeof tempDir>>;
let services: ExampleServices;
let busy: Server;
let busyPort: number;
let closedPort: number;

async function listening(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  workspace = await tempDir();
  await mkdir(join(workspace.dir, 'mappings'));
  await mkdir(join(workspace.dir, 'scenarios'));
  await mkdir(join(workspace.dir, 'empty'));
  await copyFile(join(REPOSITORY, 'mappings/knowledge.yaml'), join(workspace.dir, 'mappings/knowledge.yaml'));
  await copyFile(join(REPOSITORY, 'scenarios/knowledge.yaml'), join(workspace.dir, 'scenarios/knowledge.yaml'));
  await workspace.write('notes.md', '# Notes\n\nSome `markdown`: not YAML at all.\n- a\n b: [\n');
  await workspace.write('workflow.yaml', 'name: build\non: [push]\njobs: {}\n');
  await workspace.write('list.json', '[1, 2, 3]\n');
  await workspace.write('broken-answer.yaml', 'status: [200\n');
  await workspace.write('scalar-answer.yaml', '42\n');
  await workspace.write('bad-mapping.yaml', 'name: x\nupstream: http://127.0.0.1:1\nendpoints:\n  - id: a\n    v1: GET /a\n    v2: GET /a\n    response: [ { mvoe: { from: body.a, to: body.b } } ]\n');
  await workspace.write('orphan-suite.yaml', 'suite: orphan\nscenarios:\n  - name: one\n    request: GET /api/v1/knowledge\n');
  services = await startExampleServices({ v1Port: 0, v2Port: 0 });
  busy = await listening();
  busyPort = (busy.address() as { port: number }).port;
  const closed = await listening();
  closedPort = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
}, 30_000);

afterAll(async () => {
  await services?.close();
  await new Promise((resolve) => busy?.close(resolve));
  await workspace?.remove();
});

const M = ['--mapping', 'mappings/knowledge.yaml'];
const T = ['translate', ...M, '--request', 'GET /api/v1/knowledge/1'];
const S = ['--suite', 'scenarios/knowledge.yaml'];
const v1 = () => services.v1.url;
const closed = () => `http://127.0.0.1:${closedPort}`;

interface Case {
  name: string;
  argv: () => string[];
  exit: 2 | 3;
  /** The one line on stderr. */
  line: RegExp;
  /** The line may be followed by indented detail lines (one per target that does not answer). */
  detailLines?: boolean;
}

const CASES: Case[] = [
  // The cases a new user met first.
  { name: 'a misspelt required option', argv: () => ['serve', '--maping', 'x'], exit: 2, line: /^api-compat serve: unknown option '--maping': did you mean --mapping\?$/ },
  { name: 'a misspelt option', argv: () => ['serve', ...M, '--prot', '8080'], exit: 2, line: /^api-compat serve: unknown option '--prot': did you mean --port\?$/ },
  { name: 'a missing --response file', argv: () => [...T, '--response', 'v2-answer.yaml'], exit: 2, line: /^api-compat translate: --response v2-answer\.yaml: file not found: check the path/ },
  { name: 'lint on a Markdown file', argv: () => ['lint', 'notes.md'], exit: 2, line: /^api-compat lint: notes\.md is not YAML or JSON, so neither a mapping nor a scenario suite: pass a \.yaml or \.json file$/ },
  { name: 'lint on YAML that is no mapping', argv: () => ['lint', 'workflow.yaml'], exit: 2, line: /^api-compat lint: workflow\.yaml is neither a mapping .* nor a scenario suite/ },
  { name: 'lint on JSON that is no mapping', argv: () => ['lint', 'list.json'], exit: 2, line: /^api-compat lint: list\.json is neither a mapping/ },
  { name: 'lint on an empty folder', argv: () => ['lint', 'empty/'], exit: 2, line: /^api-compat lint: empty\/ is a folder without any \.yaml, \.yml or \.json file/ },
  // Missing files and folders where files belong, named as typed.
  { name: 'lint on a missing file', argv: () => ['lint', './nope/m.yaml'], exit: 2, line: /^api-compat lint: \.\/nope\/m\.yaml: file not found/ },
  { name: 'serve with a missing mapping', argv: () => ['serve', '--mapping', '../elsewhere/m.yaml'], exit: 2, line: /^api-compat serve: --mapping \.\.\/elsewhere\/m\.yaml: file not found/ },
  { name: 'serve with a folder as mapping', argv: () => ['serve', '--mapping', 'mappings'], exit: 2, line: /^api-compat serve: --mapping mappings is a folder, not a file: pass a file inside it$/ },
  { name: 'translate with a folder as response', argv: () => [...T, '--response', 'empty'], exit: 2, line: /^api-compat translate: --response empty is a folder/ },
  { name: 'check with a missing suite', argv: () => ['check', '--suite', 'scenarios/nope.yaml', '--v1', v1()], exit: 2, line: /^api-compat check: --suite scenarios\/nope\.yaml: file not found/ },
  { name: 'check with a missing mapping', argv: () => ['check', ...S, '--mapping', 'gone.yaml', '--v1', v1()], exit: 2, line: /^api-compat check: --mapping gone\.yaml: file not found/ },
  { name: 'check with a suite that names no mapping', argv: () => ['check', '--suite', 'orphan-suite.yaml', '--v1', v1()], exit: 2, line: /^api-compat check: orphan-suite\.yaml names no mapping: pass --mapping FILE/ },
  { name: 'guide with a missing report', argv: () => ['guide', ...M, '--report', 'reports/report.json'], exit: 2, line: /^api-compat guide: --report reports\/report\.json: file not found/ },
  { name: 'guide with a file that is no report', argv: () => ['guide', ...M, '--report', 'list.json'], exit: 2, line: /^api-compat guide: --report list\.json at \/: .*: pass a report\.json written by api-compat check/ },
  // Values of the wrong type or shape.
  { name: 'a port that is not a number', argv: () => ['serve', ...M, '--port', 'abc'], exit: 2, line: /^api-compat serve: --port abc: expected a port number from 0 to 65535$/ },
  { name: 'a port out of range', argv: () => ['demo', '--port', '70000'], exit: 2, line: /^api-compat demo: --port 70000: expected a port number/ },
  { name: 'a timeout that is not a number', argv: () => ['serve', ...M, '--timeout', 'soon'], exit: 2, line: /^api-compat serve: --timeout soon: expected a positive integer$/ },
  { name: 'a repeat of 0', argv: () => ['check', ...S, '--v1', v1(), '--repeat', '0'], exit: 2, line: /^api-compat check: --repeat 0: expected a positive integer$/ },
  { name: 'a score over 100', argv: () => ['check', ...S, '--v1', v1(), '--min-score', '101'], exit: 2, line: /^api-compat check: --min-score 101: expected a score from 0 to 100$/ },
  { name: 'an unknown report format', argv: () => ['check', ...S, '--v1', v1(), '--format', 'md,pdf'], exit: 2, line: /^api-compat check: --format md,pdf: unknown format pdf; formats: / },
  { name: 'a request line without a path', argv: () => ['translate', ...M, '--request', 'GET'], exit: 2, line: /^api-compat translate: --request "GET" is not a request line: write it as 'METHOD \/path\?query'/ },
  { name: 'a body that is not JSON', argv: () => ['translate', ...M, '--request', 'PUT /api/v1/knowledge/1', '--body', '{title:'], exit: 2, line: /^api-compat translate: --body is not valid JSON \(.*\): quote it for the shell/ },
  { name: 'a header without a name', argv: () => [...T, '--header', 'novalue'], exit: 2, line: /^api-compat translate: --header "novalue" has no name: write it as 'Name: value'$/ },
  { name: 'a response file that is not YAML', argv: () => [...T, '--response', 'broken-answer.yaml'], exit: 2, line: /^api-compat translate: --response broken-answer\.yaml is not YAML or JSON \(.*\): write \{ status, headers, body \}/ },
  { name: 'a response file without an object', argv: () => [...T, '--response', 'scalar-answer.yaml'], exit: 2, line: /^api-compat translate: --response scalar-answer\.yaml holds no object/ },
  // Bad URLs.
  { name: 'a URL that is not http', argv: () => ['check', ...S, '--v1', 'ftp://127.0.0.1/'], exit: 2, line: /^api-compat check: --v1 ftp:\/\/127\.0\.0\.1\/: expected an http\(s\) URL such as http:\/\/127\.0\.0\.1:4002$/ },
  { name: 'a URL that is no URL', argv: () => ['serve', ...M, '--upstream', 'v2.internal'], exit: 2, line: /^api-compat serve: --upstream v2\.internal: expected an http\(s\) URL/ },
  // Usage.
  { name: 'an unknown command', argv: () => ['bogus'], exit: 2, line: /^api-compat: unknown command 'bogus': run api-compat --help for the commands$/ },
  { name: 'a misspelt command', argv: () => ['lnt', 'x.yaml'], exit: 2, line: /^api-compat: unknown command 'lnt': did you mean lint\?$/ },
  { name: 'a required option left out', argv: () => ['serve'], exit: 2, line: /^api-compat serve: --mapping <file> is required: add --mapping \(run api-compat serve --help\)$/ },
  { name: 'an option without its value', argv: () => ['serve', '--mapping'], exit: 2, line: /^api-compat serve: --mapping needs a value: write --mapping <file>$/ },
  { name: 'lint without files', argv: () => ['lint'], exit: 2, line: /^api-compat lint: missing files: / },
  { name: 'an argument where none is taken', argv: () => ['serve', ...M, 'extra'], exit: 2, line: /^api-compat serve: takes no arguments but got 1: options start with --/ },
  // Runtime: unreachable targets and a port in use.
  { name: 'an unreachable v1', argv: () => ['check', ...S, '--v1', closed(), '--v2', services.v2.url], exit: 3, line: /^api-compat check: nothing answers before the first scenario, so no scenario ran and no report was written:$/, detailLines: true },
  { name: 'an unreachable gateway', argv: () => ['check', ...S, '--v1', v1(), '--gateway', closed()], exit: 3, line: /^api-compat check: nothing answers before the first scenario, so no scenario ran and no report was written:$/, detailLines: true },
  { name: 'an unreachable v2 for the in-process gateway', argv: () => ['check', ...S, '--v1', v1(), '--v2', closed()], exit: 3, line: /^api-compat check: nothing answers before the first scenario, so no scenario ran and no report was written:$/, detailLines: true },
  { name: 'shadow-report at an admin port nothing listens on', argv: () => ['shadow-report', '--admin', closed()], exit: 3, line: /^api-compat shadow-report: nothing answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start the gateway with --admin-port, or correct --admin$/ },
  { name: 'a port in use', argv: () => ['serve', ...M, '--port', String(busyPort), '--no-watch'], exit: 2, line: /^api-compat serve: port \d+ on 127\.0\.0\.1 is already in use; stop what holds it or choose another port$/ },
];

describe(`bad input: ${CASES.length} cases, each one line with its exit code and no stack trace`, () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, { argv, exit, line, detailLines }) => {
    const run = await runCli(argv(), { cwd: workspace.dir });
    expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME);
    const lines = run.stderr.endsWith('\n') ? run.stderr.slice(0, -1).split('\n') : [run.stderr];
    if (detailLines) for (const detail of lines.slice(1)) expect(detail).toMatch(/^ {2}\S/);
    expect(detailLines ? lines.slice(0, 1) : lines).toEqual([expect.stringMatching(line)]);
    expect(run.code).toBe(exit);
    expect(run.stderr).not.toContain(workspace.dir);
  });
});

describe('failures that take more than one line', () => {
  it('prints every problem of a mapping as file:line:column lines, named as typed (exit 2)', async () => {
    const run = await runCli(['lint', 'bad-mapping.yaml'], { cwd: workspace.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^bad-mapping\.yaml:7:\d+ error at \/endpoints\/0\/response\/0\/mvoe: unknown property "mvoe"; did you mean "move"\?/m);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('names the mapping a suite refers to relative to where the user is', async () => {
    await workspace.write('scenarios/broken.yaml', 'suite: b\nmapping: ../bad-mapping.yaml\nscenarios:\n  - name: one\n    request: GET /a\n');
    const run = await runCli(['lint', 'scenarios/broken.yaml'], { cwd: workspace.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^bad-mapping\.yaml:7:\d+ error/m);
  });

  it('shows the help and says a command is needed when none is given (exit 2)', async () => {
    const run = await runCli([], { cwd: workspace.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: api-compat');
    expect(run.stderr.trim().split('\n').at(-1)).toBe('api-compat: no command given: choose one of the commands above');
  });

  it('lints every YAML and JSON file in a folder it is given', async () => {
    const run = await runCli(['lint', 'mappings', 'scenarios/knowledge.yaml'], { cwd: workspace.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('mappings/knowledge.yaml: ok (9 endpoints, 2 resources)\nscenarios/knowledge.yaml: ok (scenario suite: 18 scenarios, 27 requests, checked against its mapping)\n');
  });

  it('prints the cause and stack trace only with --verbose', async () => {
    const quiet = await runCli(['check', ...S, '--v1', closed(), '--v2', services.v2.url], { cwd: workspace.dir });
    const verbose = await runCli(['check', ...S, '--v1', closed(), '--v2', services.v2.url, '--verbose'], { cwd: workspace.dir });
    expect(verbose.code).toBe(quiet.code);
    expect(verbose.stderr.startsWith(quiet.stderr.split('\n')[0]!)).toBe(true);
    expect(quiet.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('the installed command', () => {
  const bin = join(REPOSITORY, 'bin', 'api-compat.js');

  /** Runs bin/api-compat.js; with `closeStdout`, the reader of its output is gone before it writes (like `| head`). */
  function runBin(args: string[], options: { closeStdout?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [bin, ...args], { cwd: workspace.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('ends quietly when its output is closed early (api-compat help check | head)', async () => {
    const run = await runBin(['help', 'check'], { closeStdout: true });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('answers a missing --response with one line and exit 2, as a process', async () => {
    const run = await runBin(['translate', ...M, '--request', 'GET /api/v1/knowledge/1', '--response', 'v2-answer.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('api-compat translate: --response v2-answer.yaml: file not found: check the path (relative paths start from the current folder)\n');
  });

  it('ends an error nothing caught with one line and exit 3, the stack only with --verbose', async () => {
    const crash = "import { processIo } from './src/cli/cli-io.ts'; processIo(); setTimeout(() => { throw new Error('boom\\nsecond line'); });";
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', crash, '--', ...args], { cwd: REPOSITORY, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const quiet = await run([]);
    expect(quiet).toEqual({ code: 3, stderr: 'api-compat: unexpected failure: boom (add --verbose for the details)\n' });
    const verbose = await run(['--verbose']);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(STACK_FRAME);
  });

  it('prints its version with -V and --version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
    for (const flag of ['-V', '--version']) expect((await runCli([flag])).stdout).toBe(`${version}\n`);
  });
});
