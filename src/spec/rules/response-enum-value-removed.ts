import { enumValues, list, missingValues } from '../rule-kit.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-enum-value-removed',
  level: 'info',
  description: 'v2 no longer sends some enumeration values.',
  site: 'response-schema',
  check: (site) => {
    const [before, after] = [enumValues(site.v1), enumValues(site.v2)];
    if (!before || !after) return [];
    const gone = missingValues(before, after);
    return gone.length ? [{ message: `v2 no longer sends ${list(gone)}` }] : [];
  },
};
