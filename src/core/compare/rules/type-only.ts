import { jsonTypeOf, MatcherArgumentError, type MatcherRule } from '../matcher.js';

export const typeOnly: MatcherRule = {
  id: 'type-only',
  key: 'type',
  summary: 'Only the JSON type must agree (string, number, boolean, null, array, object); the values may differ.',
  example: 'match: { body.error.message: type }',
  shorthand: true,
  compile(args) {
    if (args !== true) throw new MatcherArgumentError('"type" takes no arguments: write `type` or `{ type: true }`');
    return { rule: 'type-only', describe: 'type-only', accepts: (v1, actual) => jsonTypeOf(v1) === jsonTypeOf(actual) };
  },
};
