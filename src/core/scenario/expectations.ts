import { deepEqual } from '../compare/diff-json.js';
import { jsonTypeOf } from '../compare/matcher.js';
import type { ObservedResponse } from '../compare/view.js';
import { headerText } from '../model/http-message.js';
import type { Expectation, ExpectedValue } from '../model/scenario.js';
import { collect } from '../transform/path.js';

/** Every way a response falls short of a step's `expect`, as sentences; empty when it meets it. */
export function checkExpectation(expectation: Expectation, response: ObservedResponse): string[] {
  const failures: string[] = [];
  if (expectation.status && !expectation.status.includes(response.status)) {
    failures.push(`status ${response.status}, expected ${expectation.status.join(' or ')}`);
  }
  for (const { name, expected } of expectation.headers) {
    const problem = judge(headerText(response.headers[name]), expected);
    if (problem) failures.push(`header ${name}: ${problem}`);
  }
  for (const { path, expected } of expectation.body) {
    const found = collect({ body: response.body }, path);
    if (found.length === 0) {
      const problem = judge(undefined, expected);
      if (problem) failures.push(`${path.text}: ${problem}`);
      continue;
    }
    for (const { value } of found) {
      const problem = judge(value, expected);
      if (problem) {
        failures.push(`${path.text}: ${problem}`);
        break;
      }
    }
  }
  return failures;
}

function judge(value: unknown, expected: ExpectedValue): string | undefined {
  switch (expected.kind) {
    case 'exists':
      return (value !== undefined) === expected.exists ? undefined : expected.exists ? 'missing' : `present (${show(value)}), expected absent`;
    case 'equals':
      return deepEqual(value, expected.value) ? undefined : `${show(value)}, expected ${show(expected.value)}`;
    case 'regex':
      return typeof value === 'string' && expected.pattern.test(value) ? undefined : `${show(value)} does not match /${expected.pattern.source}/`;
    case 'type': {
      const type = expected.type === 'integer' && Number.isInteger(value) ? 'integer' : jsonTypeOf(value);
      const fits = type === expected.type || (expected.type === 'number' && type === 'integer');
      return fits ? undefined : `${show(value)} is not ${expected.type === 'integer' || expected.type === 'array' || expected.type === 'object' ? 'an' : 'a'} ${expected.type}`;
    }
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
