/**
 * A scenario suite as written (after YAML parsing, `${ENV}` substitution and schema validation;
 * schemas/scenario.schema.json is the contract for this shape), and the compiled form the checker
 * runs. Compilation happens once at load, so a bad pattern or regex fails there, never mid-run.
 */
import type { CompiledMatcher } from '../compare/matcher.js';
import type { PathPattern } from '../compare/path-pattern.js';
import type { ValuePath } from '../transform/path.js';

export type Scalar = string | number | boolean;

/** `"GET /api/v1/search?q=x"` or the long form. */
export type RequestDocument =
  | string
  | {
      method: string;
      path: string;
      query?: Record<string, Scalar | Scalar[]>;
      headers?: Record<string, string>;
      body?: unknown;
      /** A raw body sent byte for byte (a malformed JSON case); `content-type` says what it claims to be. */
      bodyText?: string;
      /** Content type of `bodyText` (default text/plain). */
      contentType?: string;
    };

/** A comparison rule for one place in the response (see src/core/compare/rules/). */
export type MatcherDocument = string | Record<string, unknown>;

export interface ExpectDocument {
  status?: number | number[];
  headers?: Record<string, unknown>;
  /** Body paths (`id`, `results[0].title` is not supported: use `results[].title`) to expected values. */
  body?: Record<string, unknown>;
}

export interface StepDocument {
  name?: string;
  request: RequestDocument;
  expect?: ExpectDocument;
  capture?: Record<string, string>;
  /** false: a setup step, run and checked against `expect`, but its answers are not compared. */
  judge?: boolean;
}

export interface ScenarioDocument {
  name: string;
  description?: string;
  tags?: string[];
  reset?: boolean;
  repeat?: number;
  ignore?: string[];
  match?: Record<string, MatcherDocument>;
  request?: RequestDocument;
  expect?: ExpectDocument;
  capture?: Record<string, string>;
  steps?: StepDocument[];
  /** Response headers compared in this scenario besides the suite's. */
  compareHeaders?: string[];
  /** Unmeasured rounds before this scenario's measured ones. */
  warmup?: number;
  /** An accepted gap: the scenario runs and is reported, but its differences do not fail the endpoint. */
  knownGap?: string;
}

export type ResetHookDocument = string | { request: string; headers?: Record<string, string> } | { command: string; timeout?: number };

export interface SuiteDocument {
  $schema?: string;
  suite: string;
  description?: string;
  mapping?: string;
  headers?: Record<string, string>;
  compareHeaders?: string[];
  reset?: { v1?: ResetHookDocument; v2?: ResetHookDocument; before?: 'scenario' | 'run' };
  /** Compare content types exactly (parameters such as charset=utf-8 included). */
  strictContentType?: boolean;
  ignore?: string[];
  match?: Record<string, MatcherDocument>;
  redact?: string[];
  repeat?: number;
  warmup?: number;
  performanceThreshold?: number;
  latencyAllowanceMs?: number;
  scenarios: ScenarioDocument[];
}

/**
 * Response headers compared by default: the ones v1 clients read. Besides content-type and
 * location, the pagination headers in common use: RFC 8288 `link` (GitHub style), the
 * `x-total-count` family and GitLab's `x-total`/`x-page`/... set.
 */
export const DEFAULT_COMPARED_HEADERS = ['content-type', 'location', 'link', 'x-total-count', 'x-total', 'x-total-pages', 'x-page', 'x-per-page', 'x-next-page', 'x-prev-page'] as const;

/** A placeholder-bearing request; `${name}` is filled from the side's own captures. */
export interface RequestTemplate {
  method: string;
  /** Path and query string as written, placeholders included. */
  target: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of JSON. */
  bodyText?: string;
}

/** Checks on one response; per target. */
export interface Expectation {
  status?: number[];
  headers: Array<{ name: string; expected: ExpectedValue }>;
  body: Array<{ path: ValuePath; expected: ExpectedValue }>;
}

export type ExpectedValue =
  | { kind: 'equals'; value: unknown }
  | { kind: 'regex'; pattern: RegExp }
  | { kind: 'type'; type: JsonType }
  | { kind: 'exists'; exists: boolean };

export const JSON_TYPES = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

export interface Capture {
  name: string;
  path: ValuePath;
}

export interface ScenarioStep {
  name?: string;
  request: RequestTemplate;
  expect?: Expectation;
  captures: Capture[];
  /** False for setup steps: run, expectations checked, answers not compared. */
  judge: boolean;
  /** JSON pointer of the step in the suite file, for messages. */
  pointer: string;
}

/** A matcher bound to where it applies. */
export interface MatcherBinding {
  pattern: PathPattern;
  matcher: CompiledMatcher;
}

export interface CompiledScenario {
  name: string;
  description?: string;
  tags: string[];
  reset: boolean;
  repeat?: number;
  ignore: PathPattern[];
  match: MatcherBinding[];
  steps: ScenarioStep[];
  /** Response headers compared in this scenario (the suite's plus its own, lower-case). */
  compareHeaders?: string[];
  warmup?: number;
  knownGap?: string;
  pointer: string;
}

export type ResetHook =
  | { kind: 'http'; method: string; target: string; headers: Record<string, string>; text: string }
  | { kind: 'command'; command: string; timeoutMs: number; text: string };

export type Side = 'v1' | 'v2';

export interface CompiledSuite {
  name: string;
  description?: string;
  /** As written; relative to the suite file. */
  mapping?: string;
  /** Request headers sent with every request (lower-case names). */
  headers: Record<string, string>;
  /** Response headers compared (lower-case). */
  compareHeaders: string[];
  reset: Partial<Record<Side, ResetHook>>;
  /** `run`: the hooks run once before the first scenario, and `reset: true` is not needed; `scenario` (default): before each run of a `reset: true` scenario. */
  resetBefore: 'scenario' | 'run';
  strictContentType: boolean;
  ignore: PathPattern[];
  match: MatcherBinding[];
  redact: PathPattern[];
  repeat?: number;
  warmup?: number;
  performanceThreshold?: number;
  latencyAllowanceMs?: number;
  scenarios: CompiledScenario[];
}
