import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-body-became-required',
  level: 'error',
  description: 'The request body was optional in v1 and is required in v2.',
  site: 'operation',
  check: ({ v1, v2 }) => (v1.requestBody && !v1.requestBody.required && v2.requestBody?.required ? [{ message: 'the request body is now required', v1Path: 'body', v2Path: 'body' }] : []),
};
