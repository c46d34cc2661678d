import { deepStrictEqual } from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { backgroundShare, machineBusySeconds } from './background-load.js';
import { loadAtConcurrency, loadAtRate, warmUp, type LoadResult } from './load.js';
import { describeMachine, fileTimestamp, machineLine, type MachineInfo } from './machine.js';
import { PAYLOAD_SIZES, type PayloadSize } from './payloads.js';
import { checksTable, formatCount, formatFixed, type TargetCheck } from './report.js';
import { startNodeServer, type ServerUnderTest } from './servers/launch.js';
import { findNginx, startNginx } from './servers/nginx.js';
import { median, ratio } from './statistics.js';
import { compareTransforms, transformTable, transformTargetChecks, type TransformComparison } from './transform-compare.js';

/*
 * The gateway side by side with what users would otherwise run, on 127.0.0.1, in one run:
 *
 *   direct              the fixed v2 upstream itself (no hop)
 *   node floor          node:http + undici Pool pass-through, no framework
 *   gateway passthrough a mapped endpoint without steps (bodies streamed)
 *   gateway translated  list-knowledge: resource rules, envelope, synthesised header
 *   gateway two-call    get-knowledge: two v2 calls merged into one v1 answer
 *   fastify translated  @fastify/http-proxy with the same translation written by hand
 *   nginx passthrough   proxy_pass with upstream keep-alive (when nginx is installed)
 *
 * Every server runs in its own process and reports its own CPU time; the load generator runs
 * here. Latency at a fixed rate is measured first (light load only), then throughput at fixed
 * concurrency. Each round runs every target once per payload size, in an order rotated per
 * round (A B C, B C A, ...), and the report gives medians over rounds and ratios to the floor.
 *
 *   npm run bench [-- --quick]     (--quick: a smoke run of under a minute)
 *   npm run bench -- --rounds 9    (more rounds: steadier medians on a busy machine)
 *   npm run bench -- --no-nginx    (as on a machine without nginx)
 */

const quick = process.argv.includes('--quick');
const SETTINGS = quick
  ? { rounds: 2, warmupSeconds: 0.5, loadSeconds: 1, connections: 32, rate: 500, rateWarmup: 50, rateRequests: 200, rateSizes: ['1kb'] as PayloadSize[], transformRounds: 3, transformMillis: 30 }
  : { rounds: 5, warmupSeconds: 1, loadSeconds: 2, connections: 32, rate: 500, rateWarmup: 300, rateRequests: 600, rateSizes: [...PAYLOAD_SIZES], transformRounds: 9, transformMillis: 120 };
const roundsOption = process.argv.includes('--rounds') ? Number(process.argv[process.argv.indexOf('--rounds') + 1]) : undefined;
if (roundsOption !== undefined && !(Number.isInteger(roundsOption) && roundsOption > 0)) throw new Error('--rounds takes a whole number above 0');
if (roundsOption) SETTINGS.rounds = roundsOption;
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
/** `--only floor,gateway-translated`: a subset of targets, for investigating one comparison. */
const ONLY = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1]?.split(',')) : undefined;

type ServerName = 'upstream' | 'floor' | 'gateway' | 'fastify' | 'nginx';

interface Target {
  id: string;
  label: string;
  server: ServerName;
  path(size: PayloadSize): string;
}

const TARGETS: readonly Target[] = [
  { id: 'direct', label: 'direct v2 (no proxy)', server: 'upstream', path: (size) => `/api/v2/knowledge?size=${size}` },
  { id: 'floor', label: 'Node floor (node:http + undici)', server: 'floor', path: (size) => `/api/v2/knowledge?size=${size}` },
  { id: 'gateway-passthrough', label: 'gateway, passthrough endpoint', server: 'gateway', path: (size) => `/bench/v1/passthrough?size=${size}` },
  { id: 'gateway-translated', label: 'gateway, translated endpoint', server: 'gateway', path: (size) => `/api/v1/knowledge?size=${size}` },
  { id: 'gateway-two-call', label: 'gateway, two-call endpoint', server: 'gateway', path: (size) => `/api/v1/knowledge/7?size=${size}` },
  { id: 'fastify-translated', label: '@fastify/http-proxy + hand-written translation', server: 'fastify', path: (size) => `/api/v1/knowledge?size=${size}` },
  { id: 'nginx', label: 'nginx proxy_pass, keep-alive', server: 'nginx', path: (size) => `/api/v2/knowledge?size=${size}` },
];

/** One target, one payload size, one round. */
interface Sample {
  target: string;
  size: PayloadSize;
  round: number;
  load: LoadResult;
  /** CPU time the target's own process spent per answered request. */
  cpuMicrosPerRequest: number;
  /** CPU time the upstream spent per request in the same window (constant across targets if all is well). */
  upstreamCpuMicrosPerRequest: number;
  rssBytes: number;
  /** Share of the machine's CPU (0..1) other processes used during the run, where the OS tells. */
  backgroundShare?: number;
  atRate?: LoadResult;
}

interface Summary {
  target: string;
  size: PayloadSize;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  upstreamCpuMicrosPerRequest: number;
  rssMiB: number;
  rateP50Ms: number;
  rateP99Ms: number;
  failures: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const servers = new Map<ServerName, ServerUnderTest>();
  const stopAll = () => Promise.all([...servers.values()].map((server) => server.stop()));
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  let nginxNote: string | undefined;
  try {
    const upstream = await startNodeServer('./fixed-upstream.ts');
    servers.set('upstream', upstream);
    const proxyArgs = ['--upstream', upstream.url];
    const [floor, gateway, fastify] = await Promise.all([
      startNodeServer('./node-floor.ts', proxyArgs),
      startNodeServer('./gateway.ts', proxyArgs),
      startNodeServer('./fastify-peer.ts', proxyArgs),
    ]);
    servers.set('floor', floor).set('gateway', gateway).set('fastify', fastify);
    const nginxBinary = process.argv.includes('--no-nginx') ? undefined : findNginx();
    if (nginxBinary) servers.set('nginx', await startNginx(nginxBinary, upstream.url));
    else nginxNote = process.argv.includes('--no-nginx') ? 'skipped: --no-nginx' : 'skipped: nginx not installed';

    const targets = TARGETS.filter((target) => servers.has(target.server) && (!ONLY || ONLY.has(target.id)));
    log(`${targets.length} targets listening${nginxNote ? `; nginx ${nginxNote}` : ''}`);
    await checkAnswers(targets, servers);

    const atRate = await measureLatency(targets, servers);
    const samples = await measureThroughputRounds(targets, servers, atRate);
    await stopAll();
    servers.clear();

    log('transform micro-benchmark (in this process)');
    const transforms = await compareTransforms({ rounds: SETTINGS.transformRounds, millisPerSample: SETTINGS.transformMillis });
    const summaries = summarise(samples, targets);
    const checks = [...proxyTargetChecks(summaries, nginxNote), ...transformTargetChecks(transforms)];
    const machine = describeMachine();
    process.stdout.write(renderReport(machine, samples, summaries, targets, checks, transforms, nginxNote, (Date.now() - started) / 1000));
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = `${RESULTS_DIR}${fileTimestamp()}.json`;
    await writeFile(
      file,
      JSON.stringify({ kind: 'proxy-bench', date: new Date().toISOString(), quick, settings: SETTINGS, machine, nginx: nginxNote ?? 'measured', targets: TARGETS.map(({ id, label }) => ({ id, label })), summaries, checks, transforms, samples }, null, 2) + '\n',
    );
    process.stdout.write(`\nresults: ${file}\n`);
  } finally {
    await stopAll();
  }
}

function urlOf(target: Target, size: PayloadSize, servers: Map<ServerName, ServerUnderTest>): string {
  return servers.get(target.server)!.url + target.path(size);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

const benchStarted = performance.now();

function log(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1)}s] ${message}\n`);
}

/** Every target answers 200, and the translated ones answer alike: otherwise the comparison is void. */
async function checkAnswers(targets: readonly Target[], servers: Map<ServerName, ServerUnderTest>): Promise<void> {
  for (const size of PAYLOAD_SIZES) {
    const bodies = new Map<string, unknown>();
    for (const target of targets) {
      const response = await fetch(urlOf(target, size, servers));
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${target.label} answered ${response.status} for ${size}: ${text.slice(0, 200)}`);
      bodies.set(target.id, { totalCount: response.headers.get('x-total-count'), body: JSON.parse(text) as unknown });
    }
    if (bodies.has('fastify-translated') && bodies.has('gateway-translated')) {
      deepStrictEqual(bodies.get('fastify-translated'), bodies.get('gateway-translated'), 'the fastify peer and the gateway translate differently');
    }
  }
}

/**
 * Latency at a fixed rate, for every target and round, before any saturating load: a p99 would
 * otherwise mostly say which garbage collection happened to fall into which run.
 */
async function measureLatency(targets: readonly Target[], servers: Map<ServerName, ServerUnderTest>): Promise<Map<string, LoadResult[]>> {
  log(`latency at ${SETTINGS.rate} req/s, ${SETTINGS.rounds} rounds`);
  const runs = new Map<string, LoadResult[]>();
  for (const size of SETTINGS.rateSizes) {
    for (const target of targets) await loadAtRate(urlOf(target, size, servers), { rate: SETTINGS.rate, requests: SETTINGS.rateWarmup });
  }
  for (let round = 0; round < SETTINGS.rounds; round++) {
    for (const size of SETTINGS.rateSizes) {
      for (const target of rotate(targets, round)) {
        const run = await loadAtRate(urlOf(target, size, servers), { rate: SETTINGS.rate, requests: SETTINGS.rateRequests });
        runs.set(`${target.id} ${size}`, [...(runs.get(`${target.id} ${size}`) ?? []), run]);
      }
    }
  }
  return runs;
}

/** Throughput rounds at fixed concurrency, after a warm-up at full load for every target. */
async function measureThroughputRounds(targets: readonly Target[], servers: Map<ServerName, ServerUnderTest>, atRate: Map<string, LoadResult[]>): Promise<Sample[]> {
  log(`throughput at ${SETTINGS.connections} connections, ${SETTINGS.rounds} rounds`);
  for (const size of PAYLOAD_SIZES) {
    for (const target of targets) await warmUp(urlOf(target, size, servers), { connections: SETTINGS.connections, seconds: SETTINGS.warmupSeconds });
  }
  const samples: Sample[] = [];
  for (let round = 0; round < SETTINGS.rounds; round++) {
    for (const size of PAYLOAD_SIZES) {
      for (const target of rotate(targets, round)) {
        const sample = await measureThroughput(target, size, round, servers);
        samples.push({ ...sample, atRate: atRate.get(`${target.id} ${size}`)?.[round] });
      }
    }
    log(`round ${round + 1}/${SETTINGS.rounds} done`);
  }
  return samples;
}

async function measureThroughput(target: Target, size: PayloadSize, round: number, servers: Map<ServerName, ServerUnderTest>): Promise<Sample> {
  const everyone = [...servers.entries()];
  const usageOfAll = async () => new Map(await Promise.all(everyone.map(async ([name, server]) => [name, await server.usage()] as const)));
  const busyBefore = machineBusySeconds();
  const benchBefore = process.cpuUsage();
  const before = await usageOfAll();
  const started = performance.now();
  const load = await loadAtConcurrency(urlOf(target, size, servers), { connections: SETTINGS.connections, seconds: SETTINGS.loadSeconds });
  const after = await usageOfAll();
  const wallSeconds = (performance.now() - started) / 1000;
  const busyAfter = machineBusySeconds();
  const benchCpu = process.cpuUsage(benchBefore);
  const spent = (name: ServerName) => after.get(name)!.cpuMicros - before.get(name)!.cpuMicros;
  const ownCpuSeconds = (everyone.reduce((sum, [name]) => sum + spent(name), 0) + benchCpu.user + benchCpu.system) / 1e6;
  if (load.failures > 0) log(`warning: ${target.label} (${size}) had ${load.failures} failed requests in round ${round + 1}`);
  return {
    target: target.id,
    size,
    round,
    load,
    cpuMicrosPerRequest: spent(target.server) / load.requests,
    upstreamCpuMicrosPerRequest: spent('upstream') / load.requests,
    rssBytes: after.get(target.server)!.rssBytes,
    backgroundShare: backgroundShare(busyAfter === undefined || busyBefore === undefined ? undefined : busyAfter - busyBefore, ownCpuSeconds, wallSeconds),
  };
}

function summarise(samples: Sample[], targets: readonly Target[]): Summary[] {
  return PAYLOAD_SIZES.flatMap((size) =>
    targets.map((target) => {
      const mine = samples.filter((sample) => sample.target === target.id && sample.size === size);
      const rated = mine.flatMap((sample) => (sample.atRate ? [sample.atRate] : []));
      return {
        target: target.id,
        size,
        requestsPerSecond: median(mine.map((sample) => sample.load.requestsPerSecond)),
        p50Ms: median(mine.map((sample) => sample.load.p50Ms)),
        p99Ms: median(mine.map((sample) => sample.load.p99Ms)),
        cpuMicrosPerRequest: median(mine.map((sample) => sample.cpuMicrosPerRequest)),
        upstreamCpuMicrosPerRequest: median(mine.map((sample) => sample.upstreamCpuMicrosPerRequest)),
        rssMiB: Math.max(...mine.map((sample) => sample.rssBytes)) / 2 ** 20,
        rateP50Ms: median(rated.map((run) => run.p50Ms)),
        rateP99Ms: median(rated.map((run) => run.p99Ms)),
        failures: mine.reduce((sum, sample) => sum + sample.load.failures + (sample.atRate?.failures ?? 0), 0),
      };
    }),
  );
}

function find(summaries: Summary[], target: string, size: PayloadSize): Summary | undefined {
  return summaries.find((summary) => summary.target === target && summary.size === size);
}

function proxyTargetChecks(summaries: Summary[], nginxNote: string | undefined): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const size of PAYLOAD_SIZES) {
    const floor = find(summaries, 'floor', size);
    const translated = find(summaries, 'gateway-translated', size);
    const passthrough = find(summaries, 'gateway-passthrough', size);
    const cpu = ratio(translated?.cpuMicrosPerRequest, floor?.cpuMicrosPerRequest);
    checks.push({ target: `gateway translated CPU/request <= 1.3x Node floor (${size})`, measured: `${formatFixed(cpu, 2)}x`, holds: cpu <= 1.3 });
    const overFastify = ratio(translated?.requestsPerSecond, find(summaries, 'fastify-translated', size)?.requestsPerSecond);
    checks.push({ target: `gateway translated req/s >= 2x @fastify/http-proxy with the same translation (${size})`, measured: `${formatFixed(overFastify, 2)}x`, holds: overFastify >= 2 });
    const overNginx = ratio(passthrough?.requestsPerSecond, find(summaries, 'nginx', size)?.requestsPerSecond);
    checks.push({
      target: `gateway passthrough req/s >= 0.5x nginx (${size})`,
      measured: nginxNote ?? `${formatFixed(overNginx, 2)}x`,
      holds: nginxNote ? undefined : overNginx >= 0.5,
    });
  }
  const direct = find(summaries, 'direct', '1kb');
  for (const target of ['gateway-passthrough', 'gateway-translated']) {
    const added = (find(summaries, target, '1kb')?.rateP99Ms ?? Number.NaN) - (direct?.rateP99Ms ?? Number.NaN);
    checks.push({ target: `${target.replace('-', ' ')}: p99 at ${SETTINGS.rate} req/s minus direct's <= 1 ms (1kb)`, measured: formatFixed(added, 2, ' ms'), holds: added <= 1 });
  }
  return checks;
}

/** What any hop costs in latency, for reading the latency targets: the floors' added p50 and p99. */
function latencyContext(summaries: Summary[]): string {
  const direct = find(summaries, 'direct', '1kb');
  const added = (target: string) => {
    const summary = find(summaries, target, '1kb');
    return `${formatFixed((summary?.rateP50Ms ?? Number.NaN) - (direct?.rateP50Ms ?? Number.NaN), 2)} / ${formatFixed((summary?.rateP99Ms ?? Number.NaN) - (direct?.rateP99Ms ?? Number.NaN), 2)} ms`;
  };
  const hops = [['Node floor', 'floor'], ['gateway passthrough', 'gateway-passthrough'], ['gateway translated', 'gateway-translated'], ['nginx', 'nginx']].filter(([, id]) => find(summaries, id!, '1kb'));
  return `Added latency over direct at ${SETTINGS.rate} req/s, 1kb (p50 / p99): ${hops.map(([label, id]) => `${label} ${added(id!)}`).join('; ')}.`;
}

function renderReport(
  machine: MachineInfo,
  samples: Sample[],
  summaries: Summary[],
  targets: readonly Target[],
  checks: TargetCheck[],
  transforms: TransformComparison,
  nginxNote: string | undefined,
  seconds: number,
): string {
  const lines = [
    `## Proxy benchmark${quick ? ' (--quick)' : ''}`,
    '',
    `${machineLine(machine)}. ${SETTINGS.rounds} rounds, targets alternated; medians over rounds. ` +
      `Throughput: ${SETTINGS.connections} connections for ${SETTINGS.loadSeconds} s (autocannon); ` +
      `latency at a fixed rate: ${SETTINGS.rate} req/s open loop, ${SETTINGS.rateRequests} requests per round (${SETTINGS.rateSizes.join(', ')}), measured before any saturating load. ` +
      `CPU: the target's own process (for "direct", the upstream). "x floor" compares with the Node floor.`,
    '',
  ];
  for (const size of PAYLOAD_SIZES) {
    const floor = find(summaries, 'floor', size);
    const direct = find(summaries, 'direct', size);
    lines.push(`### ${size} JSON responses`, '');
    const rated = SETTINGS.rateSizes.includes(size);
    lines.push(`| target | req/s | x floor | p50 ms | p99 ms | CPU µs/req | x floor |${rated ? ` p50 / p99 ms at ${SETTINGS.rate}/s | added p99 vs direct |` : ''} RSS MiB |`);
    lines.push(`|---|--:|--:|--:|--:|--:|--:|${rated ? '--:|--:|' : ''}--:|`);
    for (const target of targets) {
      const summary = find(summaries, target.id, size);
      if (!summary) continue;
      const added = summary.rateP99Ms - (direct?.rateP99Ms ?? Number.NaN);
      const latency = rated ? ` ${formatFixed(summary.rateP50Ms, 2)} / ${formatFixed(summary.rateP99Ms, 2)} | ${target.id === 'direct' ? '-' : formatFixed(added, 2, ' ms')} |` : '';
      lines.push(
        `| ${target.label}${summary.failures ? ` (${summary.failures} failed)` : ''} | ${formatCount(summary.requestsPerSecond)} | ${formatFixed(ratio(summary.requestsPerSecond, floor?.requestsPerSecond), 2, 'x')} | ` +
          `${formatFixed(summary.p50Ms, 2)} | ${formatFixed(summary.p99Ms, 2)} | ${formatFixed(summary.cpuMicrosPerRequest, 0)} | ` +
          `${target.id === 'direct' ? '-' : formatFixed(ratio(summary.cpuMicrosPerRequest, floor?.cpuMicrosPerRequest), 2, 'x')} |${latency} ${formatFixed(summary.rssMiB, 0)} |`,
      );
    }
    if (nginxNote) lines.push(`| nginx proxy_pass, keep-alive | ${nginxNote} |${' |'.repeat(rated ? 8 : 6)}`);
    lines.push('');
  }
  lines.push('### Transforms (in-process, list-knowledge response)', '', transformTable(transforms), '');
  lines.push('### Targets', '', checksTable(checks), '', latencyContext(summaries), '');
  const background = samples.flatMap((sample) => (sample.backgroundShare === undefined ? [] : [sample.backgroundShare]));
  if (background.length > 0) {
    lines.push(
      `Other processes used a median ${formatFixed(median(background) * 100, 0)}% (at most ${formatFixed(Math.max(...background) * 100, 0)}%) of the machine's CPU during the throughput runs; ` +
        'rows measured on a busy machine read high on CPU time and low on requests/s.',
      '',
    );
  }
  lines.push(`Run took ${Math.round(seconds)} s.`);
  return lines.join('\n') + '\n';
}

await main();
