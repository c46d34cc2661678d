import { compileMatcher } from '../compare/compile-matcher.js';
import { MatcherArgumentError } from '../compare/matcher.js';
import { parsePattern, PatternSyntaxError, type PathPattern } from '../compare/path-pattern.js';
import { HTTP_METHODS } from '../mapping/route.js';
import { pointerOf, type Diagnostic } from '../model/diagnostic.js';
import {
  DEFAULT_COMPARED_HEADERS,
  JSON_TYPES,
  type Capture,
  type CompiledScenario,
  type CompiledSuite,
  type ExpectDocument,
  type Expectation,
  type ExpectedValue,
  type JsonType,
  type MatcherBinding,
  type MatcherDocument,
  type RequestDocument,
  type RequestTemplate,
  type ResetHook,
  type ResetHookDocument,
  type ScenarioDocument,
  type ScenarioStep,
  type StepDocument,
  type SuiteDocument,
} from '../model/scenario.js';
import { isRecord, parseMessagePath, PathSyntaxError } from '../transform/path.js';
import { placeholdersIn } from './placeholders.js';

export interface CompileSuiteResult {
  suite?: CompiledSuite;
  diagnostics: Diagnostic[];
}

type Report = (pointer: string, message: string) => void;

const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

/**
 * Compiles a validated suite document: requests parsed, paths and matchers compiled, captures
 * checked against their use. Every problem is a diagnostic with a JSON pointer; a suite is
 * returned only when there are no errors.
 */
export function compileSuite(document: SuiteDocument): CompileSuiteResult {
  const diagnostics: Diagnostic[] = [];
  const error: Report = (pointer, message) => diagnostics.push({ severity: 'error', pointer, message });

  const headers = lowerCaseKeys(document.headers ?? {});
  const compareHeaders = [...new Set([...DEFAULT_COMPARED_HEADERS, ...(document.compareHeaders ?? []).map((name) => name.toLowerCase())])];
  const reset: CompiledSuite['reset'] = {};
  for (const side of ['v1', 'v2'] as const) {
    const hook = document.reset?.[side];
    if (hook !== undefined) {
      const compiled = compileResetHook(hook, pointerOf('reset', side), error);
      if (compiled) reset[side] = compiled;
    }
  }
  const ignore = compilePatterns(document.ignore ?? [], pointerOf('ignore'), error);
  const match = compileMatchers(document.match ?? {}, pointerOf('match'), error);
  const redact = compilePatterns(document.redact ?? [], pointerOf('redact'), error);

  const names = new Map<string, number>();
  const scenarios: CompiledScenario[] = [];
  document.scenarios.forEach((scenario, index) => {
    const pointer = pointerOf('scenarios', index);
    if (names.has(scenario.name)) error(`${pointer}/name`, `scenario name "${scenario.name}" is already used by scenario ${names.get(scenario.name)}; names identify scenarios in reports, so they must be unique`);
    names.set(scenario.name, index);
    const compiled = compileScenario(scenario, pointer, compareHeaders, error);
    if (compiled) scenarios.push(compiled);
    if (scenario.steps?.every((step) => step.judge === false)) error(`${pointer}/steps`, `every step of scenario "${scenario.name}" says judge: false, so nothing in it would be compared; judge at least one step`);
    if (scenario.reset && !document.reset?.v1 && !document.reset?.v2) {
      error(`${pointer}/reset`, 'this scenario asks for a reset, but the suite declares no reset hooks; add reset: { v1: POST /__reset, v2: POST /__reset } at the top level');
    }
  });

  if (document.reset?.before === 'run' && !document.reset.v1 && !document.reset.v2) {
    error(pointerOf('reset', 'before'), 'before: run resets before the first scenario, but no hook is declared; add v1: POST /__reset and/or v2: POST /__reset beside it');
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return {
    diagnostics,
    suite: {
      name: document.suite,
      description: document.description,
      mapping: document.mapping,
      headers,
      compareHeaders,
      reset,
      resetBefore: document.reset?.before ?? 'scenario',
      strictContentType: document.strictContentType ?? false,
      ignore,
      match,
      redact,
      repeat: document.repeat,
      warmup: document.warmup,
      performanceThreshold: document.performanceThreshold,
      latencyAllowanceMs: document.latencyAllowanceMs,
      scenarios,
    },
  };
}

function compileScenario(scenario: ScenarioDocument, pointer: string, suiteHeaders: readonly string[], error: Report): CompiledScenario | undefined {
  const stepDocuments: Array<{ document: StepDocument; pointer: string }> = scenario.steps
    ? scenario.steps.map((document, i) => ({ document, pointer: `${pointer}/steps/${i}` }))
    : scenario.request !== undefined
      ? [{ document: { request: scenario.request, expect: scenario.expect, capture: scenario.capture } as StepDocument, pointer }]
      : [];
  if (stepDocuments.length === 0) {
    error(pointer, `scenario "${scenario.name}" needs "request" (one call) or "steps" (a flow)`);
    return undefined;
  }
  if (scenario.steps && (scenario.request !== undefined || scenario.expect || scenario.capture)) {
    error(pointer, `scenario "${scenario.name}" has both "steps" and a top-level request/expect/capture; put them inside a step`);
  }
  const captured = new Set<string>();
  const steps: ScenarioStep[] = [];
  for (const { document, pointer: stepPointer } of stepDocuments) {
    const request = compileRequest(document.request, `${stepPointer}/request`, error);
    if (request) {
      for (const name of placeholdersIn([request.target, request.headers, request.body, request.bodyText])) {
        if (!captured.has(name)) {
          error(`${stepPointer}/request`, `\${${name}} is not captured by an earlier step; add capture: { ${name}: body.${name} } to a step before this one (upper-case names are environment variables)`);
        }
      }
    }
    const captures = compileCaptures(document.capture ?? {}, `${stepPointer}/capture`, error);
    captures.forEach((capture) => captured.add(capture.name));
    const expect = document.expect ? compileExpectation(document.expect, `${stepPointer}/expect`, error) : undefined;
    if (request) steps.push({ name: document.name, request, expect, captures, judge: document.judge ?? true, pointer: stepPointer });
  }
  return {
    name: scenario.name,
    description: scenario.description,
    tags: scenario.tags ?? [],
    reset: scenario.reset ?? false,
    repeat: scenario.repeat,
    ignore: compilePatterns(scenario.ignore ?? [], `${pointer}/ignore`, error),
    match: compileMatchers(scenario.match ?? {}, `${pointer}/match`, error),
    steps,
    ...(scenario.compareHeaders ? { compareHeaders: [...new Set([...suiteHeaders, ...scenario.compareHeaders.map((name) => name.toLowerCase())])] } : {}),
    ...(scenario.warmup !== undefined ? { warmup: scenario.warmup } : {}),
    ...(scenario.knownGap !== undefined ? { knownGap: scenario.knownGap } : {}),
    pointer,
  };
}

/** `GET /path?query` (the query is sent as written) or `{ method, path, query, headers, body }`. */
function compileRequest(document: RequestDocument, pointer: string, error: Report): RequestTemplate | undefined {
  if (typeof document === 'string') {
    const line = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(document);
    if (!line) {
      error(pointer, `"${document}" is not "METHOD /path?query", e.g. "GET /api/v1/search?q=vector"`);
      return undefined;
    }
    const method = checkMethod(line[1]!, pointer, error);
    return method ? { method, target: line[2]!, headers: {} } : undefined;
  }
  const method = checkMethod(document.method, `${pointer}/method`, error);
  if (!document.path.startsWith('/')) error(`${pointer}/path`, `"${document.path}" must start with "/": the target's base URL is put in front of it`);
  const query = Object.entries(document.query ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((item) => `${encodeURIComponent(key)}=${encodeQueryValue(String(item))}`),
  );
  const separator = document.path.includes('?') ? '&' : '?';
  const target = query.length ? `${document.path}${separator}${query.join('&')}` : document.path;
  const headers = lowerCaseKeys(document.headers ?? {});
  if (document.bodyText !== undefined) {
    if (document.body !== undefined) error(pointer, 'give either body (JSON) or bodyText (sent as written), not both');
    headers['content-type'] = document.contentType ?? headers['content-type'] ?? 'text/plain';
    return method ? { method, target, headers, bodyText: document.bodyText } : undefined;
  }
  if (document.contentType !== undefined) headers['content-type'] = document.contentType;
  if (document.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return method ? { method, target, headers, body: document.body } : undefined;
}

/** Encodes a query value but keeps `${name}` placeholders readable until they are filled. */
function encodeQueryValue(value: string): string {
  return value
    .split(/(\$\{[^}]*\})/)
    .map((part) => (part.startsWith('${') ? part : encodeURIComponent(part)))
    .join('');
}

function checkMethod(text: string, pointer: string, error: Report): string | undefined {
  const method = text.toUpperCase();
  if ((HTTP_METHODS as readonly string[]).includes(method)) return method;
  error(pointer, `"${text}" is not one of ${HTTP_METHODS.join(', ')}`);
  return undefined;
}

function compileCaptures(document: Record<string, string>, pointer: string, error: Report): Capture[] {
  return Object.entries(document).flatMap(([name, pathText]) => {
    try {
      const path = parseMessagePath(pathText);
      if (path.wildcards > 0) throw new PathSyntaxError(pathText, 'a capture takes one value; use an index-free path such as body.id');
      if (!['status', 'headers', 'body'].includes(String((path.segments[0] as { key?: string }).key))) {
        throw new PathSyntaxError(pathText, 'captures read the response: status, headers.<name> or body.<path>');
      }
      return [{ name, path }];
    } catch (failure) {
      if (!(failure instanceof PathSyntaxError)) throw failure;
      error(`${pointer}/${name}`, failure.message);
      return [];
    }
  });
}

function compileExpectation(document: ExpectDocument, pointer: string, error: Report): Expectation {
  const status = document.status === undefined ? undefined : Array.isArray(document.status) ? document.status : [document.status];
  const headers = Object.entries(document.headers ?? {}).flatMap(([name, value]) => {
    const expected = compileExpectedValue(value, `${pointer}/headers/${name}`, error);
    return expected ? [{ name: name.toLowerCase(), expected }] : [];
  });
  const body = Object.entries(document.body ?? {}).flatMap(([pathText, value]) => {
    const at = `${pointer}/body/${pathText.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    let path;
    try {
      path = parseMessagePath(`body.${pathText}`);
    } catch (failure) {
      if (!(failure instanceof PathSyntaxError)) throw failure;
      error(at, `${failure.message}; body keys are paths inside the body, such as id or metadata.tags`);
      return [];
    }
    const expected = compileExpectedValue(value, at, error);
    return expected ? [{ path, expected }] : [];
  });
  return { status, headers, body };
}

const EXPECTATION_OPERATORS = ['$regex', '$type', '$exists'];

/** A literal value, or `{ $regex: "..." }`, `{ $type: integer }`, `{ $exists: false }`. */
function compileExpectedValue(value: unknown, pointer: string, error: Report): ExpectedValue | undefined {
  if (!isRecord(value) || !Object.keys(value).some((key) => key.startsWith('$'))) return { kind: 'equals', value };
  const keys = Object.keys(value);
  const operator = keys[0]!;
  if (keys.length !== 1 || !EXPECTATION_OPERATORS.includes(operator)) {
    error(pointer, `an expectation object names one of ${EXPECTATION_OPERATORS.join(', ')}, found ${keys.join(', ')}`);
    return undefined;
  }
  const argument = value[operator];
  if (operator === '$regex') {
    try {
      return { kind: 'regex', pattern: new RegExp(String(argument), 'u') };
    } catch (failure) {
      error(`${pointer}/$regex`, `not a valid regular expression: ${(failure as Error).message}`);
      return undefined;
    }
  }
  if (operator === '$type') {
    if (!(JSON_TYPES as readonly string[]).includes(String(argument))) {
      error(`${pointer}/$type`, `"${String(argument)}" is not one of ${JSON_TYPES.join(', ')}`);
      return undefined;
    }
    return { kind: 'type', type: argument as JsonType };
  }
  if (typeof argument !== 'boolean') {
    error(`${pointer}/$exists`, '$exists takes true or false');
    return undefined;
  }
  return { kind: 'exists', exists: argument };
}

function compileResetHook(document: ResetHookDocument, pointer: string, error: Report): ResetHook | undefined {
  if (typeof document === 'string' || 'request' in document) {
    const text = typeof document === 'string' ? document : document.request;
    const line = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(text);
    if (!line) {
      error(typeof document === 'string' ? pointer : `${pointer}/request`, `"${text}" is not "METHOD /path" (e.g. "POST /__reset", sent to the side's base URL); for a shell command write { command: "..." }`);
      return undefined;
    }
    const method = checkMethod(line[1]!, pointer, error);
    const headers = typeof document === 'string' ? {} : lowerCaseKeys(document.headers ?? {});
    return method ? { kind: 'http', method, target: line[2]!, headers, text: `${method} ${line[2]}` } : undefined;
  }
  return { kind: 'command', command: document.command, timeoutMs: document.timeout ?? DEFAULT_COMMAND_TIMEOUT_MS, text: document.command };
}

function compilePatterns(texts: string[], pointer: string, error: Report): PathPattern[] {
  return texts.flatMap((text, i) => {
    try {
      return [parsePattern(text)];
    } catch (failure) {
      if (!(failure instanceof PatternSyntaxError)) throw failure;
      error(`${pointer}/${i}`, failure.message);
      return [];
    }
  });
}

function compileMatchers(document: Record<string, MatcherDocument>, pointer: string, error: Report): MatcherBinding[] {
  return Object.entries(document).flatMap(([text, matcherDocument]) => {
    const at = `${pointer}/${text.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    try {
      return [{ pattern: parsePattern(text), matcher: compileMatcher(matcherDocument) }];
    } catch (failure) {
      if (!(failure instanceof PatternSyntaxError) && !(failure instanceof MatcherArgumentError)) throw failure;
      error(at, failure.message);
      return [];
    }
  });
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), String(value)]));
}
