import { code, type Rule } from '../rule.js';
import { parameterPath } from '../parameter-path.js';

export const rule: Rule = {
  id: 'new-required-request-parameter',
  level: 'error',
  description: 'v2 requires a parameter v1 did not have.',
  site: 'parameter',
  check: ({ v1, v2 }) => (!v1 && v2?.required ? [{ message: `new required ${v2.in} parameter ${code(v2.name)}`, v2Path: parameterPath(v2) }] : []),
};
