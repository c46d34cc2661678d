import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-property-added',
  level: 'info',
  description: 'v2 sends a response property v1 did not.',
  site: 'response-property',
  check: (site) => (!site.v1Name && site.v2Name ? [{ message: `new property ${code(site.v2Name)}`, v1Path: undefined }] : []),
};
