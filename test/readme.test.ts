import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OPS } from '../src/core/transform/registry.js';
import { runCli } from './support/cli-harness.js';

/**
 * The README is the front door: it must name every op, document every command that exists, and
 * list exactly the options each command's own --help lists, so the two cannot drift apart.
 * (Its examples are executed by readme-executed.test.ts.)
 */
const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

async function helpOf(args: string[]): Promise<string> {
  const run = await runCli([...args, '--help']);
  expect(run.code).toBe(0);
  return run.stdout;
}

/** The long flags a --help lists under "Options:" (not the global ones, not --help itself). */
function flagsOf(help: string): string[] {
  const options = help.split(/^Options:$/m)[1]?.split(/^\S.*:$/m)[0] ?? '';
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]!).filter((flag) => flag !== '--help');
}

/** The README's section for a command: from its `### ` heading to the next heading. */
function sectionOf(command: string): string {
  const start = readme.indexOf(`### \`api-compat ${command}\``);
  expect(start, `README has no "### \`api-compat ${command}\`" section`).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + 4);
  const end = rest.search(/^#{2,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

const programHelp = (await runCli(['--help'])).stdout;
const commands = [...(programHelp.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((match) => match[1]!).filter((name) => name !== 'help');

describe('README', () => {
  it.each([...OPS.keys()])('documents the %s op in the ops table', (id) => {
    expect(readme).toContain(`| \`${id}\` |`);
  });

  it(`documents every command the CLI has (${commands.length})`, () => {
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) expect(readme).toContain(`### \`api-compat ${command}\``);
  });

  it.each(commands)('lists exactly the options of `api-compat %s --help`', async (command) => {
    const flags = flagsOf(await helpOf([command]));
    const section = sectionOf(command);
    const table = section.split('\n').filter((line) => /^\| `--/.test(line));
    if (table.length) {
      // An options table: its first column names every option, and nothing else.
      const documented = table.flatMap((row) => [...row.split('|')[1]!.matchAll(/`(--[\w-]+)/g)].map((match) => match[1]!));
      expect([...documented].sort()).toEqual([...flags].sort());
    } else {
      for (const flag of flags) expect(section, `the ${command} section does not mention ${flag}`).toMatch(new RegExp(`${flag}\\b`));
    }
  });

  it('documents the options every command takes (--verbose, --version, --help)', () => {
    const globals = flagsOf(programHelp);
    expect(globals).toEqual(expect.arrayContaining(['--version', '--verbose']));
    const intro = readme.slice(readme.indexOf('## Commands'), readme.indexOf('### `api-compat'));
    for (const flag of [...globals, '--help']) expect(intro, `the Commands introduction does not mention ${flag}`).toContain(flag);
  });

  it('gives npm start and npm test as the two commands', () => {
    expect(readme).toMatch(/npm start/);
    expect(readme).toMatch(/npm test/);
  });
});
