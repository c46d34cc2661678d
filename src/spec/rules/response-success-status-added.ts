import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-success-status-added',
  level: 'warn',
  description: 'v2 may answer with a success status v1 never used (next to the ones it kept).',
  site: 'operation',
  check: ({ v1, v2 }) => {
    const [before, after] = [Object.keys(v1.responses).filter(isSuccess), Object.keys(v2.responses).filter(isSuccess)];
    if (before.length === 1 && after.length === 1) return [];
    return after.filter((status) => !before.includes(status)).map((status) => ({ message: `v2 may answer ${code(status)}`, detail: status, v2Path: 'status' }));
  },
};
