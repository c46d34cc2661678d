import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'new-optional-request-body',
  level: 'info',
  description: 'v2 accepts an optional request body where v1 took none.',
  site: 'operation',
  check: ({ v1, v2 }) => (!v1.requestBody && v2.requestBody && !v2.requestBody.required ? [{ message: 'v2 accepts an optional request body', v2Path: 'body' }] : []),
};
