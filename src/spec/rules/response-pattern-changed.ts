import { patternOf } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-pattern-changed',
  level: 'warn',
  description: 'A response string lost or changed its pattern: v1 clients relying on it may fail.',
  site: 'response-schema',
  check: (site) => {
    const [before, after] = [patternOf(site.v1), patternOf(site.v2)];
    return before && before !== after ? [{ message: after ? `pattern changed from ${code(before)} to ${code(after)}` : `pattern ${code(before)} dropped` }] : [];
  },
};
