import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'new-optional-request-property',
  level: 'info',
  description: 'v2 accepts an optional request body property v1 did not have.',
  site: 'request-property',
  check: (site) => (!site.v1Name && site.v2Name && !site.v2Required ? [{ message: `new optional property ${code(site.v2Name)}`, v1Path: undefined }] : []),
};
