import { isOpen } from '../security.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'security-added',
  level: 'error',
  description: 'v1 needed no credentials and v2 requires some.',
  site: 'operation',
  check: ({ v1, v2 }) => (isOpen(v1) && !isOpen(v2) ? [{ message: `v2 requires credentials (${v2.security.map((a) => a.join(' + ')).join(' or ')}); v1 needed none`, v2Path: 'headers.authorization' }] : []),
};
