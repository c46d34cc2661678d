import { diffJson } from '../core/compare/diff-json.js';
import { NoiseModel } from '../core/compare/noise.js';
import { toPointer } from '../core/compare/path-pattern.js';
import { comparedView, type ComparedView } from '../core/compare/view.js';
import { emptyMessage, isJsonMediaType, type HttpMessage } from '../core/model/http-message.js';
import type { TraceEntry } from '../core/pipeline/trace.js';
import { decodeBody } from '../upstream/content-encoding.js';
import { redactTarget } from './access-log.js';
import { parseQuery } from './message-io.js';
import type { BufferedResponse } from '../upstream/upstream-client.js';

/**
 * Shadow comparison: the answer legacy gave the client against the answer the translation
 * through v2 would have given, judged as the checker judges (the same normalised view, the
 * same structural diff, noise learnt the same way: places where legacy disagrees with itself
 * on the same request are noise). Work waits in a bounded queue and runs a few at a time;
 * when the queue is full a comparison is dropped and counted, never waited for.
 */

export type ShadowResult = 'match' | 'mismatch' | 'error' | 'dropped';

export interface ShadowJob {
  endpoint: string;
  /** `GET /path?query`, as the client sent it. */
  target: string;
  legacy: BufferedResponse;
  /** How long legacy took to answer the client, milliseconds. */
  legacyMs: number;
  /** The client's request body, when it had one (for rule coverage). */
  requestBody?: Uint8Array;
  /** Filled by the translation with the mapping steps that ran. */
  trace: TraceEntry[];
  translated: () => Promise<Response>;
  /** Called once the job is finished with the legacy answer. */
  done: () => void;
}

export interface ShadowSample {
  at: string;
  target: string;
  differences: Array<{ pointer: string; legacy: unknown; translated: unknown }>;
}

export interface ShadowOptions {
  /** Comparisons waiting at most (default 100); beyond, new ones are dropped. */
  queueLimit?: number;
  /** Comparisons running at once (default 2). */
  concurrency?: number;
  /** Mismatches kept per endpoint for /shadow (default 20, newest kept). */
  samples?: number;
  /** Headers compared besides status and body (default content-type). */
  headers?: readonly string[];
  /** Largest translated answer read for comparison, in bytes (default 1 MiB). */
  bodyLimit?: number;
  onResult?: (endpoint: string, result: ShadowResult) => void;
}

/**
 * The mapping rules one translated exchange exercised (src/core/mapping/rule-coverage.ts over
 * the current table's rule inventory); set by the gateway whenever it installs a table.
 */
export type RuleCoverage = (endpoint: string, trace: readonly TraceEntry[], v1Request: HttpMessage, v1Response: HttpMessage | undefined) => string[];

/** Everything shadow traffic established about one endpoint: what a checker report is built from. */
export interface ShadowEvidence extends EndpointTally {
  noise: string[];
  /** Newest answer times, milliseconds, in the order observed (at most LATENCY_SAMPLES). */
  latencyMs: { legacy: number[]; translated: number[] };
  /** Answers that were 5xx or never came: legacy's, and the translation's (a failed translation included). */
  failed: { legacy: number; translated: number };
  /** Mapping rule pointers the translated exchanges exercised. */
  exercised: string[];
}

interface EndpointTally {
  compared: number;
  matched: number;
  mismatched: number;
  errors: number;
  dropped: number;
  samples: ShadowSample[];
}

/** Last legacy views per request target, for noise learning; bounded. */
const REMEMBERED_TARGETS = 1_000;
const SAMPLE_VALUE_CHARS = 200;
/** Answer times kept per endpoint and side for the report's percentiles: the newest ones. */
const LATENCY_SAMPLES = 1_000;

interface EndpointMeasures {
  legacyMs: number[];
  translatedMs: number[];
  failed: { legacy: number; translated: number };
  exercised: Set<string>;
}

export class ShadowComparer {
  private readonly queue: ShadowJob[] = [];
  private running = 0;
  private readonly tallies = new Map<string, EndpointTally>();
  private readonly noise = new NoiseModel();
  private readonly steps = new Map<string, number>();
  private readonly lastLegacy = new Map<string, ComparedView>();
  private readonly queueLimit: number;
  private readonly concurrency: number;
  private readonly sampleLimit: number;
  private readonly headers: readonly string[];
  private readonly bodyLimit: number;
  private idleWaiters: Array<() => void> = [];
  private readonly measures = new Map<string, EndpointMeasures>();
  /** When counting began (the gateway started): the start of the period a report covers. */
  readonly since = new Date();
  /** Rule coverage of translated exchanges; without it, none is recorded. */
  ruleCoverage?: RuleCoverage;

  constructor(private readonly options: ShadowOptions = {}) {
    this.queueLimit = options.queueLimit ?? 100;
    this.concurrency = options.concurrency ?? 2;
    this.sampleLimit = options.samples ?? 20;
    this.headers = options.headers ?? ['content-type'];
    this.bodyLimit = options.bodyLimit ?? 1024 * 1024;
  }

  /** Comparisons run at once. */
  get concurrencyLimit(): number {
    return this.concurrency;
  }

  hasRoom(): boolean {
    return this.queue.length < this.queueLimit;
  }

  /** Counts a comparison that could not be queued. */
  dropped(endpoint: string): void {
    this.tally(endpoint).dropped++;
    this.options.onResult?.(endpoint, 'dropped');
  }

  /** Queues a comparison; false (and counted as dropped) when the queue is full. */
  offer(job: ShadowJob): boolean {
    if (!this.hasRoom()) {
      this.dropped(job.endpoint);
      return false;
    }
    this.queue.push(job);
    // Never in the client's turn: the answer goes out first.
    setImmediate(() => this.pump());
    return true;
  }

  /** Resolves when nothing is queued or running (for tests and draining). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** What /shadow shows: per endpoint, counts and the newest mismatches. */
  summary(): { endpoints: Record<string, EndpointTally & { noise: string[] }>; queued: number; running: number } {
    const endpoints: Record<string, EndpointTally & { noise: string[] }> = {};
    for (const [id, tally] of [...this.tallies].sort(([a], [b]) => (a < b ? -1 : 1))) endpoints[id] = { ...tally, samples: [...tally.samples], noise: this.noise.places(this.stepOf(id)) };
    return { endpoints, queued: this.queue.length, running: this.running };
  }

  /** Per endpoint, everything observed so far: counts, samples, noise, latencies, failures, rules exercised. */
  evidence(): Record<string, ShadowEvidence> {
    const { endpoints } = this.summary();
    const out: Record<string, ShadowEvidence> = {};
    for (const [id, tally] of Object.entries(endpoints)) {
      const measured = this.measures.get(id);
      out[id] = {
        ...tally,
        latencyMs: { legacy: [...(measured?.legacyMs ?? [])], translated: [...(measured?.translatedMs ?? [])] },
        failed: { ...(measured?.failed ?? { legacy: 0, translated: 0 }) },
        exercised: [...(measured?.exercised ?? [])].sort(),
      };
    }
    return out;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        job.done();
        this.pump();
        if (this.running === 0 && this.queue.length === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const wake of waiters) wake();
        }
      });
    }
  }

  private async run(job: ShadowJob): Promise<void> {
    const tally = this.tally(job.endpoint);
    const measures = this.measuresOf(job.endpoint);
    let result: ShadowResult;
    let v1Response: HttpMessage | undefined;
    push(measures.legacyMs, job.legacyMs);
    if (job.legacy.status >= 500) measures.failed.legacy++;
    try {
      const legacyView = this.view(job.legacy.status, job.legacy.headers, decodeBody(job.legacy.body, job.legacy.headers['content-encoding'], 'legacy')).view;
      const step = this.stepOf(job.endpoint);
      this.learnNoise(step, `${job.endpoint} ${job.target}`, legacyView);
      const started = performance.now();
      const translated = await job.translated();
      const bytes = await readBounded(translated, this.bodyLimit);
      push(measures.translatedMs, performance.now() - started);
      if (translated.status >= 500) measures.failed.translated++;
      const headers: Record<string, string> = {};
      translated.headers.forEach((value, name) => (headers[name] = value));
      const { view: translatedView, body } = this.view(translated.status, headers, bytes);
      v1Response = emptyMessage({ status: translated.status, headers, body });
      const differences = diffJson(legacyView, translatedView).filter((difference) => !this.noise.isNoise(step, difference.segments));
      tally.compared++;
      if (differences.length === 0) {
        tally.matched++;
        result = 'match';
      } else {
        tally.mismatched++;
        result = 'mismatch';
        tally.samples.push({
          at: new Date().toISOString(),
          target: redactTarget(job.target).slice(0, 500),
          differences: differences.slice(0, 20).map((difference) => ({ pointer: toPointer(difference.segments), legacy: clip(difference.v1), translated: clip(difference.actual) })),
        });
        if (tally.samples.length > this.sampleLimit) tally.samples.shift();
      }
    } catch {
      tally.errors++;
      measures.failed.translated++;
      result = 'error';
    }
    this.recordCoverage(job, measures, v1Response);
    this.options.onResult?.(job.endpoint, result);
  }

  private recordCoverage(job: ShadowJob, measures: EndpointMeasures, v1Response: HttpMessage | undefined): void {
    if (!this.ruleCoverage || job.trace.length === 0) return;
    const [path = '', search = ''] = job.target.slice(job.target.indexOf(' ') + 1).split('?', 2);
    let body: unknown;
    if (job.requestBody && job.requestBody.length > 0) {
      try {
        body = JSON.parse(Buffer.from(job.requestBody).toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const request = emptyMessage({ method: job.target.slice(0, job.target.indexOf(' ')), path, query: parseQuery(`?${search}`), body });
    try {
      for (const rule of this.ruleCoverage(job.endpoint, job.trace, request, v1Response)) measures.exercised.add(rule);
    } catch {
      // Coverage is a by-product: a message it cannot walk leaves the rules unrecorded.
    }
  }

  private measuresOf(endpoint: string): EndpointMeasures {
    let measures = this.measures.get(endpoint);
    if (!measures) {
      measures = { legacyMs: [], translatedMs: [], failed: { legacy: 0, translated: 0 }, exercised: new Set() };
      this.measures.set(endpoint, measures);
    }
    return measures;
  }

  private view(status: number, headers: Record<string, string | string[]>, body: Uint8Array): { view: ComparedView; body: unknown } {
    const contentType = headers['content-type'];
    const type = Array.isArray(contentType) ? contentType[0] : contentType;
    let parsed: unknown;
    if (body.length > 0) {
      const text = Buffer.from(body).toString('utf8');
      try {
        parsed = isJsonMediaType(type) ? JSON.parse(text) : text;
      } catch {
        parsed = text;
      }
    }
    return { view: comparedView({ status, headers, body: parsed }, { headers: this.headers }), body: parsed };
  }

  /** Two legacy answers to the same target with the same status: where they differ is noise. */
  private learnNoise(step: number, key: string, view: ComparedView): void {
    const previous = this.lastLegacy.get(key);
    if (previous) this.noise.learn(step, previous, view);
    this.lastLegacy.delete(key);
    if (this.lastLegacy.size >= REMEMBERED_TARGETS) this.lastLegacy.delete(this.lastLegacy.keys().next().value!);
    this.lastLegacy.set(key, view);
  }

  private stepOf(endpoint: string): number {
    let step = this.steps.get(endpoint);
    if (step === undefined) {
      step = this.steps.size;
      this.steps.set(endpoint, step);
    }
    return step;
  }

  private tally(endpoint: string): EndpointTally {
    let tally = this.tallies.get(endpoint);
    if (!tally) {
      tally = { compared: 0, matched: 0, mismatched: 0, errors: 0, dropped: 0, samples: [] };
      this.tallies.set(endpoint, tally);
    }
    return tally;
  }
}

/** Keeps the newest LATENCY_SAMPLES values. */
function push(values: number[], value: number): void {
  values.push(value);
  if (values.length > LATENCY_SAMPLES) values.shift();
}

function clip(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= SAMPLE_VALUE_CHARS) return value;
  return `${text.slice(0, SAMPLE_VALUE_CHARS)}…`;
}

async function readBounded(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) {
      await response.body.cancel();
      throw new Error(`the translated answer is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
