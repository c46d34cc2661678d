import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { commandTitle, fragmentKind, namedPaths, parseReadme, portsIn, withoutRemark, wrapFragment, type ReadmeBlock } from './support/readme-blocks.js';
import { createWorkspace, FIXTURES, REPOSITORY, remapPorts, runCommand, showsAll, startDaemon, type Daemon, type Workspace } from './support/readme-runner.js';

/*
 * Executed documentation: every shell command and every YAML block of README.md is run or
 * loaded, and what the README shows is compared with what happens. The conventions a README
 * block follows (markers, shown output, fragments, ports) are described in
 * test/support/readme-blocks.ts; a new README section needs no change here.
 */

const readme = await readFile(join(REPOSITORY, 'README.md'), 'utf8');
const blocks = parseReadme(readme);
const runnable = blocks.filter((block) => block.kind === 'shell' || block.kind === 'yaml' || (block.kind === 'ts' && blockFile(block) !== undefined));
const skipped = runnable.filter((block) => 'skip' in block.markers);
const executed = runnable.filter((block) => !('skip' in block.markers));
const commandCount = executed.reduce((sum, block) => sum + block.commands.length, 0);
const yamlCount = executed.filter((block) => block.kind === 'yaml').length;

let workspace: Workspace;
const daemons: Array<{ daemon: Daemon; headingLine: number }> = [];

beforeAll(async () => {
  const ports = portsIn([...executed.flatMap((block) => [block.body, ...Object.values(block.markers)]), ...Object.values(FIXTURES).map((f) => f.command)].join('\n'));
  workspace = await createWorkspace(ports);
  // Modules first: a mapping example may name a module the README shows only further down.
  for (const block of executed.filter((b) => b.kind === 'ts' && blockFile(b))) {
    await mkdir(dirname(join(workspace.dir, blockFile(block)!)), { recursive: true });
    await writeFile(join(workspace.dir, blockFile(block)!), block.body);
  }
}, 60_000);

afterAll(async () => {
  await stopDaemons();
  await workspace?.remove();
}, 30_000);

async function stopDaemons(keepHeadingLine?: number): Promise<void> {
  for (const entry of daemons.filter((d) => d.headingLine !== keepHeadingLine)) await entry.daemon.stop();
  daemons.splice(0, daemons.length, ...daemons.filter((d) => d.headingLine === keepHeadingLine));
}

/** Where a yaml/ts block goes: its file= marker, or a ts block's leading `// mappings/x.ts — ...` comment. */
function blockFile(block: ReadmeBlock): string | undefined {
  if (block.markers.file) return block.markers.file;
  if (block.kind === 'ts') return /^\/\/\s*([\w./-]+\.(?:ts|js|mjs))\b/.exec(block.body)?.[1];
  return undefined;
}

function blockTitle(block: ReadmeBlock): string {
  if (block.kind === 'shell') return block.commands.map((command) => commandTitle(command.text)).join('; ');
  return `${block.language} block${block.markers.fragment ? ` (fragment: ${block.markers.fragment})` : ''}${blockFile(block) ? ` -> ${blockFile(block)}` : ''}`;
}

function context(block: ReadmeBlock) {
  return { folders: [workspace.dir, REPOSITORY], vary: block.markers.vary ? new RegExp(block.markers.vary) : undefined, exact: block.markers.output === 'exact' };
}

function markerEnv(block: ReadmeBlock): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (block.markers.env ?? '').split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    env[pair.slice(0, eq)] = remapPorts(pair.slice(eq + 1), workspace.ports);
  }
  return env;
}

/** `daemon` makes every command of the block a daemon; `daemon=1,3` only those (counted from 1). */
function isDaemon(block: ReadmeBlock, index: number): boolean {
  const value = block.markers.daemon;
  if (value === undefined) return false;
  return value === '' || value.split(',').map(Number).includes(index + 1);
}

const timeoutMs = (block: ReadmeBlock) => Number(block.markers.timeout ?? 120) * 1000;
const expectedExit = (block: ReadmeBlock) => Number(block.markers.exit ?? 0);

async function runShellBlock(block: ReadmeBlock): Promise<void> {
  const env = markerEnv(block);
  const fixture = block.markers.with;
  if (fixture) {
    const known = FIXTURES[fixture];
    if (!known) throw new Error(`line ${block.line}: with=${fixture} is not a fixture (${Object.keys(FIXTURES).join(', ')})`);
    if (!daemons.some((d) => d.headingLine === block.headingLine && d.daemon.command === remapPorts(known.command, workspace.ports))) {
      const command = remapPorts(known.command, workspace.ports);
      daemons.push({ daemon: await startDaemon(workspace, command, (output) => known.ready.test(output), { timeoutMs: 60_000 }), headingLine: block.headingLine });
    }
  }
  let blockOutput = '';
  for (const [index, command] of block.commands.entries()) {
    const text = remapPorts(block.markers.append ? `${withoutRemark(command.text)} ${block.markers.append}` : command.text, workspace.ports);
    const where = `README.md line ${command.line}: ${commandTitle(command.text)}`;
    if (isDaemon(block, index)) {
      const shown = command.shown.length ? command.shown : (block.output?.lines ?? []);
      const ready = block.markers.ready ? new RegExp(block.markers.ready) : undefined;
      if (!ready && shown.length === 0) throw new Error(`${where}: a daemon block needs shown output or ready="regex"`);
      const daemon = await startDaemon(workspace, text, (output) => (ready ? ready.test(output) : showsAll(shown, output, context(block)).ok), { env, timeoutMs: timeoutMs(block) });
      daemons.push({ daemon, headingLine: block.headingLine });
      blockOutput += daemon.output();
      continue;
    }
    const run = await runCommand(workspace, text, { env, timeoutMs: timeoutMs(block) });
    blockOutput += run.output;
    expect(run.code, `${where} exited ${run.code}; its output:\n${run.output}`).toBe(expectedExit(block));
    if (command.shown.length) {
      const comparison = showsAll(command.shown, run.output, context(block));
      expect(comparison.ok, `${where}: the README shows "${comparison.missing}", which is not in the output:\n${run.output}`).toBe(true);
    }
  }
  if (block.output && !(block.commands.length === 1 && isDaemon(block, 0))) {
    const comparison = showsAll(block.output.lines, blockOutput, context(block));
    expect(comparison.ok, `README.md line ${block.output.line}: the README shows "${comparison.missing}", which is not in the output:\n${blockOutput}`).toBe(true);
  }
}

async function runFileBlock(block: ReadmeBlock): Promise<void> {
  const file = blockFile(block) ?? `mappings/readme-line-${block.line}.${block.language === 'json' ? 'json' : 'yaml'}`;
  const base = block.markers.base ? await readFile(join(workspace.dir, block.markers.base), 'utf8') : undefined;
  const kind = block.kind === 'yaml' && !('data' in block.markers) ? fragmentKind(block.markers, block.body) : undefined;
  const text = kind ? wrapFragment(kind, block.body, base) : block.body;
  await mkdir(dirname(join(workspace.dir, file)), { recursive: true });
  await writeFile(join(workspace.dir, file), remapPorts(text, workspace.ports));
  if (block.kind === 'ts') return;
  if ('data' in block.markers) {
    // An input file for a later command (which then runs it); here it only has to parse.
    expect(() => parseYaml(text), `README.md line ${block.line}: not valid YAML`).not.toThrow();
    return;
  }
  const run = await runCommand(workspace, `api-compat lint '${file}'`, { env: markerEnv(block), timeoutMs: timeoutMs(block) });
  const where = `README.md line ${block.line} (${blockTitle(block)}, written to ${file})`;
  expect(run.code, `${where}: api-compat lint exited ${run.code}:\n${run.output}\n--- the file:\n${text}`).toBe(expectedExit(block));
  if (block.output) {
    const comparison = showsAll(block.output.lines, run.output, context(block));
    expect(comparison.ok, `README.md line ${block.output.line}: the README shows "${comparison.missing}", which is not in the output:\n${run.output}`).toBe(true);
  }
}

describe(`README.md, executed: ${commandCount} shell commands in ${executed.length - yamlCount} blocks and ${yamlCount} YAML blocks (${skipped.length} not run, each saying why)`, () => {
  it.each(executed.map((block) => [`line ${block.line} (${block.heading}): ${blockTitle(block)}`, block] as const))('%s', async (_title, block) => {
    await stopDaemons(block.headingLine);
    if (block.kind === 'shell') await runShellBlock(block);
    else await runFileBlock(block);
  }, 300_000);

  it('runs only blocks that say why they cannot, and nothing blocks the README without running', () => {
    expect(executed.length).toBeGreaterThan(10);
    for (const block of skipped) expect((block.markers.skip ?? '').trim().length, `README.md line ${block.line}: skip needs a reason`).toBeGreaterThan(10);
  });

  it('names only files the repository has or its commands produce', async () => {
    await stopDaemons();
    // node_modules/api-compat/... is where a user's own project finds the package.
    const topLevel = new Set((await readdir(REPOSITORY)).filter((entry) => entry !== 'node_modules'));
    const named = namedPaths(readme, topLevel);
    expect(named.length).toBeGreaterThan(5);
    const missing = named.filter(({ path }) => !existsSync(join(workspace.dir, path)));
    expect(missing, 'paths the README names that exist neither in the repository nor after its commands ran').toEqual([]);
  });
});
