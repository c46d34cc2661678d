import { code, type Rule } from '../rule.js';
import { parameterPath } from '../parameter-path.js';

export const rule: Rule = {
  id: 'new-optional-request-parameter',
  level: 'info',
  description: 'v2 accepts an optional parameter v1 did not have.',
  site: 'parameter',
  check: ({ v1, v2 }) => (!v1 && v2 && !v2.required ? [{ message: `new optional ${v2.in} parameter ${code(v2.name)}`, v2Path: parameterPath(v2) }] : []),
};
