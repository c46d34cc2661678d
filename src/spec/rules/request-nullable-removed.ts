import { admitsNull } from '../rule-kit.js';
import { typesOf } from '../schema-shape.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-nullable-removed',
  level: 'error',
  description: 'v1 accepted null for a request value and v2 does not.',
  site: 'request-schema',
  check: (site) => (admitsNull(site.v1) && typesOf(site.v2) && !admitsNull(site.v2) ? [{ message: 'null is no longer accepted' }] : []),
};
