import { MatcherArgumentError, type MatcherRule } from '../matcher.js';

export const prefix: MatcherRule = {
  id: 'prefix',
  key: 'prefix',
  summary: 'Both values are strings starting with the given text (an id with a generated tail, a URL on a known path); the rest may differ.',
  example: 'match: { body.error.message: { prefix: "invalid page size" } }',
  compile(args) {
    if (typeof args !== 'string' || args === '') throw new MatcherArgumentError('"prefix" needs the text both values start with, e.g. { prefix: "/api/v1/knowledge/" }');
    return {
      rule: 'prefix',
      describe: `prefix ${JSON.stringify(args)}`,
      accepts: (v1, actual) => typeof v1 === 'string' && typeof actual === 'string' && v1.startsWith(args) && actual.startsWith(args),
    };
  },
};
