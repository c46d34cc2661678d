import { code, type Rule } from '../rule.js';
import { parameterPath } from '../parameter-path.js';

export const rule: Rule = {
  id: 'request-parameter-deprecated',
  level: 'info',
  description: 'v2 marks a parameter deprecated.',
  site: 'parameter',
  check: ({ v1, v2 }) => (v1 && v2 && !v1.deprecated && v2.deprecated ? [{ message: `${v2.in} parameter ${code(v2.name)} is deprecated in v2`, v1Path: parameterPath(v1), v2Path: parameterPath(v2) }] : []),
};
