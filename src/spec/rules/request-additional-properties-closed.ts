import { foldAllOf, typesOf } from '../schema-shape.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-additional-properties-closed',
  level: 'warn',
  description: 'A request object that admitted extra properties no longer does.',
  site: 'request-schema',
  check: (site) => {
    if (!typesOf(site.v1)?.has('object')) return [];
    const [before, after] = [foldAllOf(site.v1).additionalProperties, foldAllOf(site.v2).additionalProperties];
    return before !== false && after === false ? [{ message: 'extra properties are rejected in v2' }] : [];
  },
};
