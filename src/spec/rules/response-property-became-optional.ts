import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-property-became-optional',
  level: 'error',
  description: 'A response property v1 always sent may be missing in v2.',
  site: 'response-property',
  check: (site) => (site.v1Name && site.v2Name && site.v1Required && !site.v2Required ? [{ message: `property ${code(site.v1Name)} may be missing in v2` }] : []),
};
