import { patternOf } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-pattern-changed',
  level: 'warn',
  description: 'A request string gained or changed its pattern, so some v1 values may be rejected.',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [patternOf(site.v1), patternOf(site.v2)];
    return after && before !== after ? [{ message: before ? `pattern changed from ${code(before)} to ${code(after)}` : `pattern ${code(after)} added` }] : [];
  },
};
