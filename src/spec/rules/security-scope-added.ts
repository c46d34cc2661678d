import { isOpen, satisfiedBy, schemesOf } from '../security.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'security-scope-added',
  level: 'error',
  description: 'v2 asks for an OAuth scope that the same scheme did not need in v1.',
  site: 'operation',
  check: ({ v1, v2 }) => {
    if (isOpen(v1) || isOpen(v2)) return [];
    return v1.security.flatMap((held) => {
      const sameSchemes = v2.security.filter((required) => [...schemesOf(required)].every((scheme) => schemesOf(held).has(scheme)));
      if (!sameSchemes.length || sameSchemes.some((required) => satisfiedBy(held, required))) return [];
      const missing = [...new Set(sameSchemes.flatMap((required) => required.filter((entry) => !held.includes(entry))))];
      return [{ message: `v2 also needs ${missing.join(', ')}`, detail: held.join('+'), v2Path: 'headers.authorization' }];
    });
  },
};
