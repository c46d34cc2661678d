import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'new-required-request-body',
  level: 'error',
  description: 'v2 requires a request body where v1 took none.',
  site: 'operation',
  check: ({ v1, v2 }) => (!v1.requestBody && v2.requestBody?.required ? [{ message: 'v2 requires a request body; v1 took none', v2Path: 'body' }] : []),
};
