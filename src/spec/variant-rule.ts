import { describeSchema, type FindingDraft, type Level, type Rule, type VariantSite } from './rule.js';

/** oneOf/anyOf alternatives the engine could not pair structurally, one finding per alternative. */
export function variantRule(id: string, level: Level, keyword: 'oneOf' | 'anyOf', side: 'request' | 'response', change: 'added' | 'removed', description: string): Rule {
  return {
    id,
    level,
    description,
    site: side === 'request' ? 'request-variants' : 'response-variants',
    check: (site: VariantSite): FindingDraft[] => {
      if (site.keyword !== keyword) return [];
      const variants = change === 'added' ? site.added : site.removed;
      return variants.map((variant, i) => ({
        message: `${keyword} alternative ${describeSchema(variant)} ${change === 'added' ? 'added in v2' : 'is not in v2'}`,
        detail: `${change}:${typeof variant.title === 'string' ? variant.title : i}`,
      }));
    },
  };
}
