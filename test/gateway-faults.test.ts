import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument } from '../src/core/model/mapping.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { startFaultyUpstream, TRICKLE_INTERVAL_MS, type Fault, type FaultyUpstream } from './support/faulty-upstream.js';

/*
 * The gateway in front of a v2 that fails the ways real services fail: refusing connections,
 * accepting and never answering, trickling, resetting mid-body, answering invalid JSON or HTML,
 * shedding load with bursts of 503, restarting under load. Every answer comes within the deadline
 * (plus a small margin), with the problem code that says what happened, and once v2 is healthy
 * again the next request succeeds within one second. All on 127.0.0.1, each wait bounded.
 */

/** What `serve --timeout 1000` sets: header, idle-body and whole-answer limits alike. */
const DEADLINE_MS = 1_000;
/**
 * Slack for a timer firing late and the answer's own trip on a machine busy with other work.
 * Without the whole-answer deadline a trickling v2 is answered after about 8 s here; a hung one
 * would be answered never.
 */
const MARGIN_MS = 500;
/**
 * A streamed endpoint has no whole-answer deadline (long downloads must keep working): a hung v2
 * is ended by undici's header timeout, which undici checks on a tick of about half a second, so
 * it fires up to that much late (measured: 1.47-1.49 s for a 1 s timeout).
 */
const UNDICI_TIMER_TICK_MS = 500;
const RECOVERY_MS = 1_000;

const MAPPING = (upstream: string): MappingDocument => ({
  name: 'faults',
  upstream,
  endpoints: [
    { id: 'get-thing', v1: 'GET /v1/things/{id}', v2: 'GET /v2/things/{id}', response: [{ unwrap: 'body.data' }] },
    { id: 'get-file', v1: 'GET /v1/files/{id}', v2: 'GET /v2/files/{id}' },
    { id: 'create-thing', v1: 'POST /v1/things', v2: 'POST /v2/things', request: [{ move: { from: 'body.name', to: 'body.title' } }], response: [{ unwrap: 'body.data' }] },
  ],
});

const TRANSLATED = '/v1/things/7';
const STREAMED = '/v1/files/7';

let upstream: FaultyUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startFaultyUpstream();
  gateway = await startGatewayFor(upstream, DEADLINE_MS);
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
afterEach(async () => {
  // Every test leaves v2 up and healthy for the next.
  upstream.fault = 'ok';
  if (!(await fetch(`${upstream.url}/v2/things/1`).then(() => true, () => false))) await upstream.start();
});

async function startGatewayFor(target: FaultyUpstream, timeoutMs: number): Promise<RunningGateway> {
  const { table } = compileMapping(MAPPING(target.url));
  return startGateway({ table: table!, upstreamOptions: { deadline: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs } });
}

interface Timed {
  status: number;
  contentType: string | null;
  body: string;
  ms: number;
}

/** One request through the gateway, with how long its whole answer took. */
async function timed(path: string, init: RequestInit = {}): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${gateway.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body, ms: performance.now() - started };
}

function expectProblem(answer: Timed, status: number, code: string, lateness = 0): void {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.contentType).toBe('application/problem+json');
  expect(JSON.parse(answer.body)).toMatchObject({ status, code });
  expect(answer.ms).toBeLessThan(DEADLINE_MS + lateness + MARGIN_MS);
}

/**
 * Makes v2 healthy (`heal`), then asks through the gateway every 10 ms until an answer is a
 * 200 and returns the milliseconds from v2 being healthy to that first success.
 */
async function recoveryMs(heal: () => Promise<void> | void, path = TRANSLATED): Promise<number> {
  await heal();
  const healthyAt = performance.now();
  for (;;) {
    const answer = await fetch(`${gateway.url}${path}`, { signal: AbortSignal.timeout(5_000) });
    const body = await answer.text();
    if (answer.status === 200) {
      // Translated: the item itself; streamed: v2's envelope, untouched.
      expect(body).toContain('"id":"7"');
      return performance.now() - healthyAt;
    }
    if (performance.now() - healthyAt > 5_000) throw new Error(`no success 5 s after v2 was healthy again; last answer ${answer.status} ${body}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function heal(fault: Fault = 'ok') {
  return () => {
    upstream.fault = fault;
  };
}

describe('each fault gets its problem within the deadline, and the gateway recovers within a second', () => {
  it('v2 refusing connections (down): 502 upstream-unreachable at once, translated and streamed', async () => {
    await upstream.stop();
    expectProblem(await timed(TRANSLATED), 502, 'upstream-unreachable');
    expectProblem(await timed(STREAMED), 502, 'upstream-unreachable');
    expectProblem(await timed('/v1/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n"}' }), 502, 'upstream-unreachable');
    expect(await recoveryMs(() => upstream.start())).toBeLessThan(RECOVERY_MS);
  });

  it('v2 accepting and never answering (hung): 504 upstream-timeout at the deadline, translated and streamed', async () => {
    upstream.fault = 'hang';
    const [translated, streamed] = await Promise.all([timed(TRANSLATED), timed(STREAMED)]);
    expectProblem(translated, 504, 'upstream-timeout');
    expectProblem(streamed, 504, 'upstream-timeout', UNDICI_TIMER_TICK_MS);
    for (const answer of [translated, streamed]) expect(answer.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(await recoveryMs(heal())).toBeLessThan(RECOVERY_MS);
  });

  it(`v2 trickling its answer one byte every ${TRICKLE_INTERVAL_MS} ms: 504 at the whole-answer deadline, not when the trickle ends`, async () => {
    upstream.fault = 'trickle';
    const answer = await timed(TRANSLATED);
    expectProblem(answer, 504, 'upstream-timeout');
    // Each byte comes well within the idle timeout: only the deadline on the whole answer ends it.
    expect(TRICKLE_INTERVAL_MS).toBeLessThan(DEADLINE_MS);
    expect(answer.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(await recoveryMs(heal())).toBeLessThan(RECOVERY_MS);
  });

  it('v2 resetting the connection mid-body: 502 on a translated endpoint, a cut-short body on a streamed one', async () => {
    upstream.fault = 'reset-mid-body';
    expectProblem(await timed(TRANSLATED), 502, 'upstream-unreachable');
    // A streamed answer has sent its headers already: it must end as incomplete, never as whole.
    const started = performance.now();
    const response = await fetch(`${gateway.url}${STREAMED}`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(await recoveryMs(heal())).toBeLessThan(RECOVERY_MS);
    expect(await recoveryMs(() => {}, STREAMED)).toBeLessThan(RECOVERY_MS);
  });

  it.each([
    ['invalid JSON', 'invalid-json'],
    ['text/html (the wrong content type)', 'html'],
  ] as const)('v2 answering 200 with %s: 502 response-not-translatable', async (_name, fault) => {
    upstream.fault = fault;
    expectProblem(await timed(TRANSLATED), 502, 'response-not-translatable');
    expect(await recoveryMs(heal())).toBeLessThan(RECOVERY_MS);
  });

  it('a burst of 5xx from v2: each is answered at once as v2 answered it, and the first request after the burst succeeds', async () => {
    upstream.fault = 'status-503';
    const burst = await Promise.all(Array.from({ length: 50 }, () => timed(TRANSLATED)));
    for (const answer of burst) {
      // An upstream 5xx is an answer to translate (here: no error rules, so as it came), not a gateway failure.
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 503, detail: 'shedding load' });
      expect(answer.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    }
    expect(await recoveryMs(heal())).toBeLessThan(RECOVERY_MS);
  });
});

describe('v2 restarting under load', () => {
  it('answers every request in flight and every one sent while v2 is down, and serves again within a second of v2 coming back', async () => {
    const answers: Array<{ path: string; status: number; ms: number; at: number; complete: boolean }> = [];
    let stopAt = Number.POSITIVE_INFINITY;
    let running = true;
    const worker = async (index: number) => {
      for (let i = index; running; i++) {
        const path = i % 2 === 0 ? TRANSLATED : STREAMED;
        const started = performance.now();
        const response = await fetch(`${gateway.url}${path}`, { signal: AbortSignal.timeout(10_000) });
        // A streamed answer whose v2 connection was cut mid-body ends incomplete, as it must.
        const complete = await response.text().then(
          () => true,
          () => false,
        );
        answers.push({ path, status: response.status, ms: performance.now() - started, at: performance.now(), complete });
      }
    };
    const workers = Array.from({ length: 8 }, (_, index) => worker(index));
    while (answers.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    stopAt = performance.now();
    await upstream.stop();
    while (!answers.some((answer) => answer.at > stopAt && answer.status === 502)) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await upstream.start();
    const healthyAt = performance.now();
    while (!answers.some((answer) => answer.at > healthyAt && answer.status === 200) && performance.now() - healthyAt < 5_000) await new Promise((resolve) => setTimeout(resolve, 5));
    const firstSuccess = answers.find((answer) => answer.at > healthyAt && answer.status === 200);
    // Keep the load on a little longer: it stays healthy.
    await new Promise((resolve) => setTimeout(resolve, 200));
    running = false;
    await Promise.all(workers);

    expect(firstSuccess, 'a success after v2 came back').toBeDefined();
    expect(firstSuccess!.at - healthyAt).toBeLessThan(RECOVERY_MS);
    const statuses = new Set(answers.map((answer) => answer.status));
    expect([...statuses].sort()).toEqual([200, 502]);
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    // Translated answers are always whole; before the stop and after the restart, everything succeeded.
    expect(answers.filter((answer) => answer.path === TRANSLATED).every((answer) => answer.complete)).toBe(true);
    expect(answers.filter((answer) => answer.at < stopAt || answer.at > firstSuccess!.at + 50).every((answer) => answer.status === 200)).toBe(true);
  });
});

describe('a client that goes away', () => {
  /** A gateway whose deadline is far off, so that only the client leaving can end the v2 call. */
  let patient: RunningGateway;
  beforeAll(async () => {
    patient = await startGatewayFor(upstream, 30_000);
  });
  afterAll(async () => {
    await patient?.close();
  });

  it.each([
    ['translated', TRANSLATED],
    ['streamed', STREAMED],
  ])('cancels its v2 call on a %s endpoint at once, long before any deadline', async (_name, path) => {
    upstream.fault = 'hang';
    const before = upstream.held.length;
    const controller = new AbortController();
    const pending = fetch(`${patient.url}${path}`, { signal: controller.signal }).catch(() => undefined);
    const until = performance.now() + 5_000;
    while (upstream.held.length === before && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    const held = upstream.held[before]!;
    expect(held.path).toBe(path.replace('/v1/', '/v2/'));
    const abortedAt = performance.now();
    controller.abort();
    await pending;
    while (held.closedAt === undefined && performance.now() < abortedAt + 5_000) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(held.closedAt, 'the gateway closed its v2 connection').toBeDefined();
    expect(held.closedAt! - abortedAt).toBeLessThan(MARGIN_MS);
  });
});
