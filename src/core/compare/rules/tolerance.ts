import { MatcherArgumentError, type MatcherRule } from '../matcher.js';

export const tolerance: MatcherRule = {
  id: 'tolerance',
  key: 'tolerance',
  summary: 'Both values are numbers no further apart than an absolute amount (0.5) or a share of the v1 value ("5%").',
  example: 'match: { body.hits[].score: { tolerance: "5%" } }',
  compile(args) {
    const relative = typeof args === 'string' ? /^(\d+(?:\.\d+)?)\s*%$/.exec(args.trim()) : null;
    if (!relative && !(typeof args === 'number' && Number.isFinite(args) && args >= 0)) {
      throw new MatcherArgumentError('"tolerance" needs a non-negative number (absolute) or a percentage such as "5%"');
    }
    const allowed = relative ? (v1: number) => (Math.abs(v1) * Number(relative[1])) / 100 : () => args as number;
    return {
      rule: 'tolerance',
      describe: `tolerance ${String(args)}`,
      accepts: (v1, actual) =>
        typeof v1 === 'number' && typeof actual === 'number' && Math.abs(v1 - actual) <= allowed(v1) + Number.EPSILON * Math.max(1, Math.abs(v1)),
    };
  },
};
