import { foldAllOf } from '../schema-shape.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-default-changed',
  level: 'warn',
  description: 'The default of a request value changed: clients that leave it out get another behaviour.',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [foldAllOf(site.v1).default, foldAllOf(site.v2).default];
    if (before === undefined || JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ message: after === undefined ? `default ${code(before)} dropped` : `default changed from ${code(before)} to ${code(after)}` }];
  },
};
