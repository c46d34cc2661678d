import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-required-property-removed',
  level: 'error',
  description: 'A response property v1 always sent is gone from v2.',
  site: 'response-property',
  check: (site) => (site.v1Name && !site.v2Name && site.v1Required ? [{ message: `property ${code(site.v1Name)} is not in v2`, v2Path: undefined }] : []),
};
