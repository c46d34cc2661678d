import { foldAllOf } from '../schema-shape.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-multiple-of-changed',
  level: 'warn',
  description: 'A request number must now be a multiple of another step.',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [foldAllOf(site.v1).multipleOf, foldAllOf(site.v2).multipleOf];
    if (typeof after !== 'number' || (typeof before === 'number' && before % after === 0)) return [];
    return [{ message: `values must be multiples of ${after}${typeof before === 'number' ? ` (v1: ${before})` : ''}` }];
  },
};
