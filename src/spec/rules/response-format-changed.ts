import { formatOf } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-format-changed',
  level: 'warn',
  description: 'A response value lost or changed its format: v1 clients parsing it as before may fail.',
  site: 'response-schema',
  check: (site) => {
    const [before, after] = [formatOf(site.v1), formatOf(site.v2)];
    return before && before !== after ? [{ message: after ? `format changed from ${code(before)} to ${code(after)}` : `format ${code(before)} dropped` }] : [];
  },
};
