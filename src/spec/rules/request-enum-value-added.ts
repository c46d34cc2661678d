import { enumValues, list, missingValues } from '../rule-kit.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-enum-value-added',
  level: 'info',
  description: 'v2 accepts enumeration values v1 did not.',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [enumValues(site.v1), enumValues(site.v2)];
    if (!before || !after) return [];
    const added = missingValues(after, before);
    return added.length ? [{ message: `v2 also accepts ${list(added)}` }] : [];
  },
};
