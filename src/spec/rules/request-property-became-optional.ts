import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-property-became-optional',
  level: 'info',
  description: 'A required request body property is optional in v2.',
  site: 'request-property',
  check: (site) => (site.v1Name && site.v2Name && site.v1Required && !site.v2Required ? [{ message: `property ${code(site.v2Name)} is now optional` }] : []),
};
