import { MatcherArgumentError, type MatcherRule } from '../matcher.js';

export const regex: MatcherRule = {
  id: 'regex',
  key: 'regex',
  summary: 'Both values are strings matching the regular expression (JavaScript syntax); they may differ otherwise.',
  example: 'match: { headers.location: { regex: "^/api/v1/knowledge/\\\\d+$" } }',
  compile(args) {
    if (typeof args !== 'string' || args === '') throw new MatcherArgumentError('"regex" needs a pattern string, e.g. { regex: "^\\\\d+$" }');
    let pattern: RegExp;
    try {
      pattern = new RegExp(args, 'u');
    } catch (error) {
      throw new MatcherArgumentError(`"${args}" is not a valid regular expression: ${(error as Error).message}`);
    }
    return {
      rule: 'regex',
      describe: `regex ${args}`,
      accepts: (v1, actual) => typeof v1 === 'string' && typeof actual === 'string' && pattern.test(v1) && pattern.test(actual),
    };
  },
};
