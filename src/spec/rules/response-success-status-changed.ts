import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-success-status-changed',
  level: 'error',
  description: 'The one success status changed (201 became 200, 204 became 200...).',
  site: 'operation',
  check: ({ v1, v2 }) => {
    const [before, after] = [Object.keys(v1.responses).filter(isSuccess), Object.keys(v2.responses).filter(isSuccess)];
    if (before.length !== 1 || after.length !== 1 || before[0] === after[0]) return [];
    return [{ message: `success status changed from ${code(before[0])} to ${code(after[0])}`, detail: `${before[0]}>${after[0]}`, v1Path: 'status', v2Path: 'status' }];
  },
};
