import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'new-required-request-property',
  level: 'error',
  description: 'v2 requires a request body property v1 did not have.',
  site: 'request-property',
  check: (site) => (!site.v1Name && site.v2Name && site.v2Required ? [{ message: `new required property ${code(site.v2Name)}`, v1Path: undefined }] : []),
};
