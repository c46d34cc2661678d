import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-error-status-removed',
  level: 'info',
  description: 'v2 no longer documents an error status v1 documented.',
  site: 'operation',
  check: ({ v1, v2 }) => Object.keys(v1.responses).filter((s) => !isSuccess(s) && !(s in v2.responses)).map((status) => ({ message: `v2 no longer documents ${code(status)}`, detail: status, v1Path: 'status' })),
};
