import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'endpoint-deprecated',
  level: 'info',
  description: 'v2 marks the operation deprecated.',
  site: 'operation',
  check: ({ v1, v2 }) => (!v1.deprecated && v2.deprecated ? [{ message: 'the operation is deprecated in v2' }] : []),
};
