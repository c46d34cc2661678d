import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-body-removed',
  level: 'warn',
  description: 'v1 took a request body and v2 documents none: what v1 clients send is ignored.',
  site: 'operation',
  check: ({ v1, v2 }) => (v1.requestBody && !v2.requestBody ? [{ message: 'v2 documents no request body', v1Path: 'body' }] : []),
};
