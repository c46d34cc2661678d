import { admitsType } from '../rule-kit.js';
import { typesOf } from '../schema-shape.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-type-changed',
  level: 'error',
  description: 'A response value\'s type changed so that v2 sends values a v1 client cannot read.',
  site: 'response-schema',
  check: (site) => {
    const [before, after] = [typesOf(site.v1), typesOf(site.v2)];
    if (!before || !after) return [];
    if (site.onTheWire && before.has('string')) return [];
    const unknown = [...after].filter((type) => type !== 'null' && !admitsType(before, type));
    return unknown.length ? [{ message: `type changed from ${[...before].join('|')} to ${[...after].join('|')}` }] : [];
  },
};
