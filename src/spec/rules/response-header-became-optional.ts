import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-header-became-optional',
  level: 'error',
  description: 'A response header v1 always sent may be missing in v2.',
  site: 'response',
  check: ({ v1, v2 }) => Object.entries(v1.headers).filter(([name, header]) => header.required && v2.headers[name] && !v2.headers[name]!.required).map(([name]) => ({ message: `header ${code(name)} may be missing in v2`, detail: name, v1Path: `headers.${name}`, v2Path: `headers.${name}` })),
};
