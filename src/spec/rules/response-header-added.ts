import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-header-added',
  level: 'info',
  description: 'v2 documents a response header v1 did not.',
  site: 'response',
  check: ({ v1, v2 }) => Object.keys(v2.headers).filter((name) => !(name in v1.headers)).map((name) => ({ message: `new header ${code(name)}`, detail: name, v2Path: `headers.${name}` })),
};
