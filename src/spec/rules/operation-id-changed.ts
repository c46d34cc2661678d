import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'operation-id-changed',
  level: 'info',
  description: 'The operationId changed (generated clients rename the method).',
  site: 'operation',
  check: ({ v1, v2 }) => (v1.operationId && v2.operationId && v1.operationId !== v2.operationId ? [{ message: `operationId changed from ${code(v1.operationId)} to ${code(v2.operationId)}` }] : []),
};
