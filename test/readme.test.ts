import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { OPS } from '../src/core/transform/registry.js';
import { memoryIo } from './support/cli-harness.js';

/** The README is the front door: it must name every op and document every command that exists. */
const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each([...OPS.keys()])('documents the %s op in the ops table', (id) => {
    expect(readme).toContain(`| \`${id}\` |`);
  });

  it('documents every command the CLI has', async () => {
    const { io, output } = memoryIo();
    await main(['--help'], io);
    const commands = [...output.stdout.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((match) => match[1]!).filter((name) => name !== 'help');
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) expect(readme).toContain(`### \`api-compat ${command}\``);
  });

  it('gives npm start and npm test as the two commands', () => {
    expect(readme).toMatch(/npm start/);
    expect(readme).toMatch(/npm test/);
  });
});
