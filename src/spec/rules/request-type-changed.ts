import { admitsType } from '../rule-kit.js';
import { typesOf } from '../schema-shape.js';
import { type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-type-changed',
  level: 'error',
  description: 'A request value\'s type changed so that v2 rejects what v1 clients send (a text parameter accepts anything).',
  site: 'request-schema',
  check: (site) => {
    const [before, after] = [typesOf(site.v1), typesOf(site.v2)];
    if (!before || !after) return [];
    if (site.onTheWire && after.has('string')) return [];
    const lost = [...before].filter((type) => type !== 'null' && !admitsType(after, type));
    return lost.length ? [{ message: `type changed from ${[...before].join('|')} to ${[...after].join('|')}` }] : [];
  },
};
