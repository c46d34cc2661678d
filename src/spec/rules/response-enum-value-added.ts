import { enumValues, list, missingValues } from '../rule-kit.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-enum-value-added',
  level: 'warn',
  description: 'v2 may send enumeration values v1 never sent (or drops the enumeration).',
  site: 'response-schema',
  check: (site) => {
    const [before, after] = [enumValues(site.v1), enumValues(site.v2)];
    if (!before) return [];
    if (!after) return [{ message: `v2 is no longer limited to ${list(before)}`, detail: 'enum-dropped' }];
    const added = missingValues(after, before);
    return added.length ? [{ message: `v2 may send ${list(added)}`, detail: added.map((v) => JSON.stringify(v)).join(',') }] : [];
  },
};
