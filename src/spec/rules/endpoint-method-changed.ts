import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'endpoint-method-changed',
  level: 'error',
  description: 'The operation is called with another HTTP method.',
  site: 'operation',
  check: ({ v1, v2 }) => (v1.method === v2.method ? [] : [{ message: `method changed from ${v1.method} to ${v2.method}`, v1Path: 'method', v2Path: 'method' }]),
};
