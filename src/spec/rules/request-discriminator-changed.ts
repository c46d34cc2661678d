import { discriminatorOf } from '../discriminator.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-discriminator-changed',
  level: 'warn',
  description: 'The property that tells request variants apart is another one in v2.',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [discriminatorOf(site.v1), discriminatorOf(site.v2)];
    return before && after && before !== after ? [{ message: `discriminator changed from ${code(before)} to ${code(after)}` }] : [];
  },
};
