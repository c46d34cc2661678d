import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-body-added',
  level: 'info',
  description: 'v1 answered without a body and v2 answers with one.',
  site: 'response',
  check: ({ v1, v2 }) => (!Object.keys(v1.content).length && Object.keys(v2.content).length ? [{ message: 'v2 answers with a body where v1 sent none', v2Path: 'body' }] : []),
};
