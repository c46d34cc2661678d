import { deepEqual } from '../compare/diff-json.js';
import { jsonTypeOf } from '../compare/matcher.js';
import type { PathPattern } from '../compare/path-pattern.js';
import type { ObservedResponse } from '../compare/view.js';
import { headerText } from '../model/http-message.js';
import type { Expectation, ExpectedValue } from '../model/scenario.js';
import { redactValue } from '../report/redact.js';
import { collect, isRecord, type Located, type ValuePath } from '../transform/path.js';

/**
 * Every way a response falls short of a step's `expect`, as sentences; empty when it meets it.
 * The sentences go into reports, so a value at a secret place (`secret`: the redaction patterns,
 * credential headers included) is shown as `[redacted]`, and so is anything secret inside a
 * larger value shown.
 */
export function checkExpectation(expectation: Expectation, response: ObservedResponse, secret: readonly PathPattern[] = []): string[] {
  const failures: string[] = [];
  if (expectation.status && !expectation.status.includes(response.status)) {
    failures.push(`status ${response.status}, expected ${expectation.status.join(' or ')}`);
  }
  for (const { name, expected } of expectation.headers) {
    const problem = judge(headerText(response.headers[name]), expected, ['headers', name], secret);
    if (problem) failures.push(`header ${name}: ${problem}`);
  }
  for (const { path, expected } of expectation.body) {
    const document = { body: response.body };
    const found = collect(document, path);
    if (found.length === 0) {
      // `[].id` over an empty array: there is no element, so nothing to check.
      if (onlyEmptyArrays(document, path)) continue;
      const problem = judge(undefined, expected, templateSegments(path), secret);
      if (problem) failures.push(`${path.text}: ${problem}`);
      continue;
    }
    for (const located of found) {
      const problem = judge(located.value, expected, concreteSegments(path, located), secret);
      if (problem) {
        failures.push(`${path.text}: ${problem}`);
        break;
      }
    }
  }
  return failures;
}

function judge(value: unknown, expected: ExpectedValue, at: readonly string[], secret: readonly PathPattern[]): string | undefined {
  const shown = (v: unknown) => show(redactValue(v, at, secret));
  switch (expected.kind) {
    case 'exists':
      return (value !== undefined) === expected.exists ? undefined : expected.exists ? 'missing' : `present (${shown(value)}), expected absent`;
    case 'equals':
      return deepEqual(value, expected.value) ? undefined : `${shown(value)}, expected ${shown(expected.value)}`;
    case 'regex':
      return typeof value === 'string' && expected.pattern.test(value) ? undefined : `${shown(value)} does not match /${expected.pattern.source}/`;
    case 'type': {
      const type = expected.type === 'integer' && Number.isInteger(value) ? 'integer' : jsonTypeOf(value);
      const fits = type === expected.type || (expected.type === 'number' && type === 'integer');
      return fits ? undefined : `${shown(value)} is not ${expected.type === 'integer' || expected.type === 'array' || expected.type === 'object' ? 'an' : 'a'} ${expected.type}`;
    }
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The compared-view location of a value `collect` found: each `[]` replaced by its index. */
function concreteSegments(path: ValuePath, located: Located): string[] {
  let next = 0;
  return path.segments.map((segment) => (segment.kind === 'key' ? segment.key : String(located.indices[next++] ?? 0)));
}

/** The location of a path that found nothing (each `[]` as index 0, which any `[]` pattern covers). */
function templateSegments(path: ValuePath): string[] {
  return path.segments.map((segment) => (segment.kind === 'key' ? segment.key : '0'));
}

/**
 * True when a path with `[]` found nothing only because the arrays it walks into are empty: every
 * branch of the walk reached an array, and none stopped at a missing key or at something that is
 * not an array. An element without the field (`[{}]` for `[].id`) is still a failure.
 */
function onlyEmptyArrays(root: unknown, path: ValuePath): boolean {
  if (path.wildcards === 0) return false;
  let reachedArray = false;
  const walk = (value: unknown, depth: number): boolean => {
    if (depth === path.segments.length) return value !== undefined;
    const segment = path.segments[depth]!;
    if (segment.kind === 'each') {
      if (!Array.isArray(value)) return false;
      reachedArray = true;
      return value.every((element) => walk(element, depth + 1));
    }
    if (!isRecord(value) || !Object.hasOwn(value, segment.key)) return false;
    return walk(value[segment.key], depth + 1);
  };
  return walk(root, 0) && reachedArray;
}
