import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-property-removed',
  level: 'warn',
  description: 'A request body property v1 accepted is gone from v2: what clients send there is ignored or rejected.',
  site: 'request-property',
  check: (site) => (site.v1Name && !site.v2Name ? [{ message: `property ${code(site.v1Name)} is not in v2`, v2Path: undefined }] : []),
};
