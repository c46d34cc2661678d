import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-error-status-added',
  level: 'info',
  description: 'v2 documents an error status v1 did not.',
  site: 'operation',
  check: ({ v1, v2 }) => Object.keys(v2.responses).filter((s) => !isSuccess(s) && !(s in v1.responses)).map((status) => ({ message: `v2 documents ${code(status)}`, detail: status, v2Path: 'status' })),
};
