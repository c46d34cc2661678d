import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-property-renamed',
  level: 'error',
  description: 'A response property has another name in v2 (same place, same type).',
  site: 'response-property',
  check: (site) => (site.v1Name && site.v2Name && site.v1Name !== site.v2Name ? [{ message: `property ${code(site.v1Name)} is called ${code(site.v2Name)} in v2` }] : []),
};
