import { code, type Rule } from '../rule.js';
import { parameterPath } from '../parameter-path.js';

export const rule: Rule = {
  id: 'request-parameter-removed',
  level: 'warn',
  description: 'A v1 parameter is gone from v2: what clients send there is ignored or rejected.',
  site: 'parameter',
  check: ({ v1, v2 }) => (v1 && !v2 ? [{ message: `${v1.in} parameter ${code(v1.name)} is not in v2`, v1Path: parameterPath(v1) }] : []),
};
