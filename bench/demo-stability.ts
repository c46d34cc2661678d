/**
 * `npm run demo:check` gives the same verdict every time, even on a busy machine: runs it N times
 * (default 20) while another CPU-heavy process spins (one busy loop per `--spinners`, default 1),
 * and prints how many runs gave the most common verdict. A benchmark, not a test: it takes a minute or two and says something only
 * about this machine.
 *
 *   node --import tsx bench/demo-stability.ts [--runs 20] [--spinners 1] [--no-load]
 */
import { spawn, spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const runs = option('--runs', 20);
const load = !args.includes('--no-load');

// Busy loops in child processes: the checker competes with them for the CPUs.
const spinners = load ? Array.from({ length: option('--spinners', 1) }, () => spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random())'], { stdio: 'ignore' })) : [];
const stopSpinners = () => spinners.forEach((spinner) => spinner.kill());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (stopSpinners(), process.exit(130)));
try {
  const verdicts = new Map<string, number>();
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['bin/api-compat.js', 'demo', '--check', '--out', 'bench/results/demo-stability'], { encoding: 'utf8' });
    const verdict = /^suite knowledge: score ([\d.]+)\/100, (\S+)/m.exec(result.stdout);
    const key = verdict ? `${verdict[2]} (exit ${result.status})` : `no summary (exit ${result.status})`;
    verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
    console.log(`run ${String(run).padStart(2)}: ${key}, score ${verdict?.[1] ?? '-'}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const [top, count] = [...verdicts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  console.log(`\nsame verdict in ${count} of ${runs} runs (${top})${load ? `, with ${spinners.length} busy-loop process${spinners.length === 1 ? '' : 'es'} running` : ''}`);
  for (const [verdict, n] of verdicts) if (verdict !== top) console.log(`  ${n} x ${verdict}`);
  process.exitCode = count === runs ? 0 : 1;
} finally {
  stopSpinners();
}
