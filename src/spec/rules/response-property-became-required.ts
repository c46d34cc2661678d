import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-property-became-required',
  level: 'info',
  description: 'A response property v1 sometimes sent is always sent in v2.',
  site: 'response-property',
  check: (site) => (site.v1Name && site.v2Name && !site.v1Required && site.v2Required ? [{ message: `property ${code(site.v2Name)} is always sent in v2` }] : []),
};
