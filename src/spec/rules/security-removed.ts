import { isOpen } from '../security.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'security-removed',
  level: 'info',
  description: 'v1 required credentials and v2 requires none.',
  site: 'operation',
  check: ({ v1, v2 }) => (!isOpen(v1) && isOpen(v2) ? [{ message: 'v2 requires no credentials' }] : []),
};
