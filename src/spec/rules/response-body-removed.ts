import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-body-removed',
  level: 'error',
  description: 'v1 answered with a body and v2 answers without one.',
  site: 'response',
  check: ({ v1, v2 }) => (Object.keys(v1.content).length && !Object.keys(v2.content).length ? [{ message: 'v2 answers without a body', v1Path: 'body' }] : []),
};
