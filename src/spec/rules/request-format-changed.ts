import { formatOf } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-format-changed',
  level: 'warn',
  description: 'A request value gained or changed its format (date-time, uuid...).',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [formatOf(site.v1), formatOf(site.v2)];
    return after && before !== after ? [{ message: before ? `format changed from ${code(before)} to ${code(after)}` : `format ${code(after)} added` }] : [];
  },
};
