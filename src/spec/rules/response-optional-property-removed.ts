import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-optional-property-removed',
  level: 'warn',
  description: 'A response property v1 sometimes sent is gone from v2.',
  site: 'response-property',
  check: (site) => (site.v1Name && !site.v2Name && !site.v1Required ? [{ message: `optional property ${code(site.v1Name)} is not in v2`, v2Path: undefined }] : []),
};
