import { code, type Rule } from '../rule.js';
import { parameterPath } from '../parameter-path.js';

export const rule: Rule = {
  id: 'request-parameter-became-required',
  level: 'error',
  description: 'An optional v1 parameter is required in v2.',
  site: 'parameter',
  check: ({ v1, v2 }) => (v1 && v2 && !v1.required && v2.required ? [{ message: `${v2.in} parameter ${code(v2.name)} is now required`, v1Path: parameterPath(v1), v2Path: parameterPath(v2) }] : []),
};
