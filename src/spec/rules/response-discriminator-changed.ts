import { discriminatorOf } from '../discriminator.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-discriminator-changed',
  level: 'warn',
  description: 'The property that tells response variants apart is another one in v2.',
  site: 'response-schema',
  check: (site) => {
    const [before, after] = [discriminatorOf(site.v1), discriminatorOf(site.v2)];
    return before && before !== after ? [{ message: after ? `discriminator changed from ${code(before)} to ${code(after)}` : `discriminator ${code(before)} dropped` }] : [];
  },
};
