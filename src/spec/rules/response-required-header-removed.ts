import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-required-header-removed',
  level: 'error',
  description: 'A response header v1 always sent is gone from v2.',
  site: 'response',
  check: ({ v1, v2 }) => Object.entries(v1.headers).filter(([name, header]) => header.required && !(name in v2.headers)).map(([name]) => ({ message: `header ${code(name)} is not sent by v2`, detail: name, v1Path: `headers.${name}` })),
};
