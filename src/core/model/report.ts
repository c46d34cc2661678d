/**
 * The compatibility report: what `api-compat check` writes as report.json (the canonical form;
 * schemas/report.schema.json is its contract) and what every renderer reads. Arrays are sorted
 * (endpoints by id, scenarios by name, differences by pointer) so two runs diff cleanly; run
 * metadata sits apart in `run` so golden tests can ignore it.
 */
export const REPORT_VERSION = 1;

export type Verdict = 'ready' | 'ready-via-gateway' | 'blocked' | 'removed' | 'untested';
export type ScenarioOutcome = 'identical' | 'equivalent' | 'different' | 'error';
/** explained: a mapping rule accounts for it; noise: differs by itself between two v1 calls or matches an ignore rule. */
export type DifferenceLabel = 'explained' | 'noise' | 'unexplained';
export type TargetName = 'v1' | 'gateway' | 'direct' | 'v2-floor';

export interface Difference {
  /** RFC 6901 pointer into the compared view: /status, /headers/content-type, /body/results/0/id */
  pointer: string;
  label: DifferenceLabel;
  /** What a v1 client gets from real v1. Undefined when absent. */
  v1?: unknown;
  /** What the same client gets through the gateway (or `direct`). */
  actual?: unknown;
  /** Why it carries its label: the rule id / op, the ignore rule, "differs between two v1 calls". */
  reason: string;
  /** Mapping endpoint id the difference belongs to. */
  endpoint?: string;
  /** Which step of a multi-step scenario (0-based). */
  step?: number;
  /** The mapping rule that wrote the value (from the trace of this exchange), if one did. */
  rule?: { pointer: string; op: string };
  /** Set when only some measured rounds showed this difference: in how many, of how many. */
  intermittent?: { rounds: number; of: number };
  /** Endpoints besides its own it counts against: the writes earlier in the scenario whose effect this read shows. */
  chargedTo?: string[];
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Milliseconds of every sample, in order taken (for charts). */
  values: number[];
}

export interface ScenarioResult {
  name: string;
  /** Mapping endpoint ids the scenario's requests hit, in order. */
  endpoints: string[];
  tags: string[];
  outcome: ScenarioOutcome;
  /** Set when outcome is error: why the scenario could not be judged (target down, timeout, garbage). */
  error?: string;
  differences: Difference[];
  /** Failed `expect` assertions, per target. */
  expectations: Array<{ target: TargetName; step: number; message: string }>;
  latency: Partial<Record<TargetName, LatencySummary>>;
  /** Status codes per target and step, to compute error-rate changes. */
  statuses: Partial<Record<TargetName, number[]>>;
  /**
   * With `--direct`: the same v1 requests sent unchanged to v2, i.e. what a client that only
   * switches its base URL would see. Informational: it decides `ready` versus
   * `ready-via-gateway`, never the score.
   */
  direct?: DirectResult;
  /** `knownGap:` from the suite: an accepted gap, reported but not counted against its endpoints. */
  knownGap?: string;
}

export interface DirectResult {
  outcome: ScenarioOutcome;
  error?: string;
  differences: Difference[];
}

export interface ScoreComponent {
  /** `breaking` only with both OpenAPI documents (check --v1-spec --v2-spec). */
  name: 'coverage' | 'fidelity' | 'latency' | 'error-rate' | 'breaking';
  /** 0..1 */
  value: number;
  weight: number;
  detail: string;
}

export interface EndpointResult {
  id: string;
  v1: string;
  v2?: string;
  verdict: Verdict;
  /** 0..100 */
  score: number;
  components: ScoreComponent[];
  scenarios: string[];
  latencyRatio?: number;
  /** Gateway p50 minus the p50 of the same translated calls sent straight to v2, ms. */
  gatewayOverheadMs?: number;
  unexplained: number;
  /** Mapping step pointers of this endpoint that no scenario exercised. */
  unexercisedRules: string[];
  /** What the reader should know that does not change the verdict (a latency ratio over the threshold in too few rounds). */
  warnings?: string[];
  /** With both OpenAPI documents: breaking changes of the endpoint the mapping does not cover. */
  breakingChanges?: BreakingChange[];
}

/** One place that differs, across every scenario it breaks (see src/core/report/root-causes.ts). */
export interface RootCause {
  /** The place as a suite path: `body.results[].id`, `headers.x-total-count`, `status`. */
  place: string;
  /** How many scenarios show it (the rank). */
  scenarios: number;
  occurrences: number;
  endpoints: string[];
  /** The mapping rule that wrote the value, when the trace showed one. */
  rule?: { pointer: string; op: string };
  /** Every occurrence was seen in only some rounds. */
  intermittent?: boolean;
  example: { scenario: string; step?: number; pointer: string; v1?: unknown; actual?: unknown; reason: string };
}

/** A finding of `api-compat diff` (level error or warn) that the mapping does not cover. */
export interface BreakingChange {
  rule: string;
  level: 'error' | 'warn';
  where: string;
  message: string;
  fingerprint: string;
  reason: string;
}

export interface CompatReport {
  reportVersion: typeof REPORT_VERSION;
  suite: string;
  mapping?: string;
  /** True when the run was interrupted (Ctrl-C) and the report holds what finished. */
  partial: boolean;
  summary: {
    score: number;
    /** `incomplete`: not blocked, but the run cannot say ready (interrupted, tag-filtered, untested endpoints). */
    verdict: 'ready' | 'ready-via-gateway' | 'blocked' | 'incomplete';
    /** Why the verdict is held back from `ready`, when it is (also listed when blocked). */
    incomplete?: string[];
    scenarios: Record<ScenarioOutcome, number>;
    differences: Record<DifferenceLabel, number>;
    performanceThreshold: number;
    minScore?: number;
  };
  /** The scoring formula in words, so a reader can recompute every score. */
  formula: string;
  endpoints: EndpointResult[];
  /** v1 endpoints of the mapping that no scenario exercised. */
  untested: string[];
  /** Every mapping rule (JSON pointer into the mapping file) no scenario exercised, mapping-wide rules included. */
  unexercisedRules?: string[];
  /** Unexplained differences grouped by place, most scenarios affected first: what to fix first. */
  rootCauses?: RootCause[];
  scenarios: ScenarioResult[];
  /** Metadata that changes every run: kept apart so golden tests can drop it. */
  run: {
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    targets: Partial<Record<TargetName, string>>;
    repeat: number;
    concurrency: number;
    tool: { name: 'api-compat'; version: string };
    node: string;
    /** Set when the evidence is not a scenario run: `shadow` for a report exported from a gateway's live shadow traffic. */
    source?: ShadowSource;
  };
}

/** Where a shadow report's evidence came from (`api-compat shadow-report`, `GET /shadow/report`). */
export interface ShadowSource {
  kind: 'shadow';
  /** The v2 base URL the gateway translated to (credentials redacted). */
  upstream: string;
  /** Shadowed exchanges judged: compared, or failed to translate. */
  exchanges: number;
  /** Comparisons dropped because the queue was full: traffic the report does not judge. */
  dropped: number;
  /** Comparisons still waiting when the report was made. */
  queued: number;
}
