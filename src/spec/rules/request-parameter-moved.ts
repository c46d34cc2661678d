import { code, type Rule } from '../rule.js';
import { parameterPath } from '../parameter-path.js';

export const rule: Rule = {
  id: 'request-parameter-moved',
  level: 'error',
  description: 'A parameter moved to another location (query to header, header to cookie...).',
  site: 'parameter',
  check: ({ v1, v2 }) => (v1 && v2 && v1.in !== v2.in ? [{ message: `parameter ${code(v1.name)} moved from ${v1.in} to ${v2.in}`, v1Path: parameterPath(v1), v2Path: parameterPath(v2) }] : []),
};
