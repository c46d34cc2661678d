import { isOpen, satisfiedBy, schemesOf } from '../security.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'security-scheme-changed',
  level: 'error',
  description: 'Credentials that satisfied v1 satisfy no v2 security alternative (another scheme).',
  site: 'operation',
  check: ({ v1, v2 }) => {
    if (isOpen(v1) || isOpen(v2)) return [];
    const sameSchemes = (held: string[], required: string[]) => [...schemesOf(required)].every((scheme) => schemesOf(held).has(scheme));
    return v1.security
      .filter((held) => !v2.security.some((required) => satisfiedBy(held, required) || sameSchemes(held, required)))
      .map((held) => ({ message: `a v1 client authenticated with ${held.join(' + ')} satisfies no v2 alternative (${v2.security.map((a) => a.join(' + ')).join(' or ')})`, detail: held.join('+'), v2Path: 'headers.authorization' }));
  },
};
