/**
 * How long a 60-scenario suite takes when every scenario resets: the bundled scenarios copied to
 * 60, all with `reset: true`, against the bundled example (whose reset hook is a fast HTTP call),
 * with --verbose so the check prints where the time went.
 *
 *   node --import tsx bench/reset-suite.ts [--scenarios 60]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { startExampleServices } from '../examples/knowledge/start.js';
import type { CliIo } from '../src/cli/cli-io.js';
import { main } from '../src/cli/main.js';

const args = process.argv.slice(2);
const count = args.includes('--scenarios') ? Number(args[args.indexOf('--scenarios') + 1]) : 60;

const services = await startExampleServices({ v1Port: 0, v2Port: 0 });
const folder = await mkdtemp(join(tmpdir(), 'api-compat-reset-suite-'));
try {
  const bundled = parse(await readFile('scenarios/knowledge.yaml', 'utf8')) as { scenarios: Array<Record<string, unknown>> } & Record<string, unknown>;
  const scenarios = Array.from({ length: count }, (_, i) => ({ ...bundled.scenarios[i % bundled.scenarios.length]!, name: `${String(bundled.scenarios[i % bundled.scenarios.length]!.name)} #${i + 1}`, reset: true }));
  const suite = join(folder, 'suite.yaml');
  await writeFile(suite, stringify({ ...bundled, mapping: resolve('mappings/knowledge.yaml'), scenarios }));
  const started = performance.now();
  const io: CliIo = { stdout: () => {}, stderr: (text) => void process.stderr.write(text), env: process.env, cwd: process.cwd(), isTTY: false, stop: new AbortController().signal };
  const code = await main(['check', '--suite', suite, '--v1', services.v1.url, '--v2', services.v2.url, '--out', join(folder, 'out'), '--verbose', '--format', 'json'], io);
  console.log(`${count} resetting scenarios: ${((performance.now() - started) / 1000).toFixed(1)} s, exit ${code}`);
} finally {
  await services.close();
  await rm(folder, { recursive: true, force: true });
}
