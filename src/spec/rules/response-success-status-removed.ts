import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-success-status-removed',
  level: 'error',
  description: 'A success status v1 answered with is not among v2\'s (when v1 had several, or v2 kept some).',
  site: 'operation',
  check: ({ v1, v2 }) => {
    const [before, after] = [Object.keys(v1.responses).filter(isSuccess), Object.keys(v2.responses).filter(isSuccess)];
    if (before.length === 1 && after.length === 1) return [];
    return before.filter((status) => !after.includes(status)).map((status) => ({ message: `v2 no longer answers ${code(status)}`, detail: status, v1Path: 'status', v2Path: 'status' }));
  },
};
