import { enumValues, list, missingValues } from '../rule-kit.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-enum-value-removed',
  level: 'error',
  description: 'v2 no longer accepts an enumeration value v1 accepted (or restricts a free value to an enumeration).',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [enumValues(site.v1), enumValues(site.v2)];
    if (!after) return [];
    if (!before) return [{ message: `v2 accepts only ${list(after)}`, detail: 'enum-added' }];
    const gone = missingValues(before, after);
    return gone.length ? [{ message: `v2 no longer accepts ${list(gone)}`, detail: gone.map((v) => JSON.stringify(v)).join(',') }] : [];
  },
};
