/**
 * Matchers relax equality at chosen places of a response (`match:` in a suite or scenario):
 * type-only, regex, numeric tolerance, timestamp window, unordered arrays. Each rule lives in
 * rules/<id>.ts with an id, a summary and an example, like the transform ops.
 */
export interface CompiledMatcher {
  rule: string;
  /** How the rule reads in a report, e.g. `regex ^\d+$`. */
  describe: string;
  /** Whether two values at this place count as equal. Absent: compare structurally. */
  accepts?(v1: unknown, actual: unknown): boolean;
  /** Arrays at this place are compared as multisets: element order does not matter. */
  unordered?: boolean;
}

export interface MatcherRule {
  id: string;
  /** The key that names the rule in a `match:` entry. */
  key: string;
  summary: string;
  example: string;
  /** Rules whose arguments may be omitted can be written as a bare word: `match: { body.tags: unordered }`. */
  shorthand?: unknown;
  compile(args: unknown): CompiledMatcher;
}

/** Thrown by a rule whose arguments are wrong; the loader turns it into a located diagnostic. */
export class MatcherArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherArgumentError';
  }
}

export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
