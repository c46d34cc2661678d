import { admitsNull } from '../rule-kit.js';
import { typesOf } from '../schema-shape.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-became-nullable',
  level: 'error',
  description: 'A response value may be null in v2 and never was in v1.',
  site: 'response-schema',
  check: (site) => (typesOf(site.v1) && !admitsNull(site.v1) && admitsNull(site.v2) ? [{ message: 'v2 may send null' }] : []),
};
