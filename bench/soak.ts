import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, request, Agent, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'hdr-histogram-js';
import { knowledgeDetail, knowledgeList } from './payloads.js';
import { startNodeServer } from './servers/launch.js';

/*
 * The soak: the gateway (its own process) under steady load for a while, its v2 upstream
 * injecting faults all along: 5xx bursts, answers that trickle past the deadline, connections
 * reset mid-body, invalid JSON, the wrong content type, and a restart (connections refused)
 * every 15 s. It passes when every request sent got an HTTP answer (a streamed one whose
 * upstream was reset mid-body is cut short, as it must be, and counted), no answer was a 500, the
 * p99 stays under 2.5 s (deadline 1 s), and the gateway's RSS grew by under 10 % from the end
 * of warm-up to the end of the run.
 *
 *   npm run soak                    (60 s)
 *   npm run soak -- --seconds 20    (shorter)
 */

const secondsOption = process.argv.includes('--seconds') ? Number(process.argv[process.argv.indexOf('--seconds') + 1]) : 60;
if (!(Number.isFinite(secondsOption) && secondsOption >= 5)) throw new Error('--seconds takes a number of at least 5');
const SECONDS = secondsOption;
const WARMUP_SECONDS = Math.max(3, SECONDS * 0.15);
const CONCURRENCY = 16;
const THRESHOLDS = { p99Ms: 2_500, rssGrowth: 0.1 };
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const list = Buffer.from(JSON.stringify(knowledgeList('1kb')));
const detail = Buffer.from(JSON.stringify(knowledgeDetail('1kb', '7')));
const related = Buffer.from(JSON.stringify({ data: [{ id: '3' }] }));
const faults = { ok: 0, burst: 0, trickle: 0, reset: 0, invalidJson: 0, wrongType: 0, refused: 0 };

function send(response: ServerResponse, status: number, body: Buffer, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': body.length });
  response.end(body);
}

/** The faulty v2: which fault a request meets depends on time (bursts) and a per-request draw. */
function startFaultyUpstream(port = 0): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((incoming, response) => {
    incoming.resume();
    const path = (incoming.url ?? '/').split('?')[0]!;
    const body = path.endsWith('/related') ? related : /\/knowledge\/\d+$/.test(path) ? detail : list;
    // A 500 ms burst of 503s every 5 s.
    if (Date.now() % 5_000 < 500) {
      faults.burst++;
      return send(response, 503, Buffer.from('{"type":"about:blank","title":"busy","status":503,"detail":"burst"}'), 'application/problem+json');
    }
    const draw = Math.random();
    if (draw < 0.02) {
      faults.trickle++;
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 300);
      response.once('close', () => clearInterval(timer));
      setTimeout(() => {
        clearInterval(timer);
        response.end(body);
      }, 3_000).unref();
      return;
    }
    if (draw < 0.04) {
      faults.reset++;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.write(body.subarray(0, 10));
      setTimeout(() => incoming.socket.destroy(), 20).unref();
      return;
    }
    if (draw < 0.06) {
      faults.invalidJson++;
      return send(response, 200, Buffer.from('{"data": [ truncated'));
    }
    if (draw < 0.08) {
      faults.wrongType++;
      return send(response, 200, Buffer.from('<html>maintenance</html>'), 'text/html');
    }
    faults.ok++;
    send(response, 200, body);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  (server as Server & { dropAll?: () => void }).dropAll = () => sockets.forEach((socket) => socket.destroy());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const TARGETS = ['/bench/v1/passthrough?size=1kb', '/api/v1/knowledge?page=1&limit=10', '/api/v1/knowledge/7'];

async function main(): Promise<number> {
  let upstream = await startFaultyUpstream();
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const gateway = await startNodeServer('./soak-gateway.ts', ['--upstream', `http://127.0.0.1:${upstreamPort}`]);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const statuses = new Map<number, number>();
  let sent = 0;
  let answered = 0;
  let transportErrors = 0;
  let cutShort = 0;
  let measuring = false;
  const started = performance.now();
  const endAt = started + SECONDS * 1_000;

  // A restart of v2 every 15 s: down for 500 ms, connections refused and open ones cut. A
  // restart still pending when the run ends is called off: its server would keep the soak from
  // exiting.
  let restarting: NodeJS.Timeout | undefined;
  let finished = false;
  const restarts = setInterval(() => {
    faults.refused++;
    (upstream as Server & { dropAll?: () => void }).dropAll?.();
    upstream.close();
    restarting = setTimeout(() => {
      restarting = undefined;
      void startFaultyUpstream(upstreamPort).then((next) => {
        upstream = next;
        if (finished) next.close();
      });
    }, 500);
  }, 15_000);

  const once = (path: string) =>
    new Promise<void>((resolve) => {
      const begun = performance.now();
      sent++;
      const outgoing = request(`${gateway.url}${path}`, { agent, timeout: 10_000 }, (response) => {
        response.resume();
        response.once('end', () => {
          answered++;
          statuses.set(response.statusCode!, (statuses.get(response.statusCode!) ?? 0) + 1);
          if (measuring) histogram.recordValue(Math.max(1, Math.round((performance.now() - begun) * 1_000)));
          resolve();
        });
        // A streamed answer whose upstream failed mid-body is cut short on purpose (never passed
        // off as complete): answered, and counted apart.
        response.once('error', () => {
          answered++;
          cutShort++;
          statuses.set(response.statusCode!, (statuses.get(response.statusCode!) ?? 0) + 1);
          resolve();
        });
      });
      outgoing.once('timeout', () => outgoing.destroy(new Error('no answer within 10 s')));
      outgoing.once('error', () => {
        transportErrors++;
        resolve();
      });
      outgoing.end();
    });

  const worker = async (index: number) => {
    for (let i = index; performance.now() < endAt; i++) await once(TARGETS[i % TARGETS.length]!);
  };
  const warmup = setTimeout(() => void gateway.usage().then((usage) => ((rssStart = usage.rssBytes), (measuring = true))), WARMUP_SECONDS * 1_000);
  let rssStart = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => worker(index)));
  clearTimeout(warmup);
  clearInterval(restarts);
  clearTimeout(restarting);
  finished = true;
  const rssEnd = (await gateway.usage()).rssBytes;
  await gateway.stop();
  agent.destroy();
  (upstream as Server & { dropAll?: () => void }).dropAll?.();
  upstream.close();

  const p99Ms = histogram.getValueAtPercentile(99) / 1_000;
  const rssGrowth = rssStart > 0 ? (rssEnd - rssStart) / rssStart : Number.NaN;
  const summary = {
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    sent,
    answered,
    transportErrors,
    cutShort,
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
    faults,
    latencyMs: { p50: histogram.getValueAtPercentile(50) / 1_000, p99: p99Ms, max: histogram.maxValue / 1_000 },
    rss: { startMiB: +(rssStart / 2 ** 20).toFixed(1), endMiB: +(rssEnd / 2 ** 20).toFixed(1), growth: +rssGrowth.toFixed(4) },
  };
  const checks = [
    { check: 'every request answered', pass: sent === answered && transportErrors === 0, value: `${answered}/${sent}` },
    { check: 'no 500 internal-error', pass: !statuses.has(500), value: String(statuses.get(500) ?? 0) },
    { check: `p99 under ${THRESHOLDS.p99Ms} ms`, pass: p99Ms < THRESHOLDS.p99Ms, value: `${p99Ms.toFixed(1)} ms` },
    { check: `RSS growth under ${THRESHOLDS.rssGrowth * 100} %`, pass: rssGrowth < THRESHOLDS.rssGrowth, value: `${(rssGrowth * 100).toFixed(1)} %` },
  ];
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, JSON.stringify({ summary, checks }, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  for (const { check, pass, value } of checks) process.stdout.write(`${pass ? 'pass' : 'FAIL'}  ${check}: ${value}\n`);
  process.stdout.write(`written to ${file}\n`);
  return checks.every((entry) => entry.pass) ? 0 : 1;
}

process.exitCode = await main();
