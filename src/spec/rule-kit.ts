import { foldAllOf, typesOf } from './schema-shape.js';
import type { Schema } from './model.js';
import { code, type FindingDraft, type Level, type Rule, type SchemaSite } from './rule.js';

/**
 * Shapes shared by the rules of one family (a bound that tightens, an enum that shrinks), so
 * each rule file states only what it checks. The rules themselves live one per file in rules/.
 */

type Bound = 'maxLength' | 'minLength' | 'maximum' | 'minimum' | 'maxItems' | 'minItems' | 'maxProperties' | 'minProperties';

const KEYWORD_TYPES: Record<Bound, string[]> = {
  maxLength: ['string'],
  minLength: ['string'],
  maximum: ['number', 'integer'],
  minimum: ['number', 'integer'],
  maxItems: ['array'],
  minItems: ['array'],
  maxProperties: ['object'],
  minProperties: ['object'],
};

/** A bound only compares between schemas that both admit the type it constrains (no `minimum` of a string). */
function comparable(site: SchemaSite, keyword: Bound): boolean {
  return [site.v1, site.v2].every((schema) => {
    const types = typesOf(schema);
    return !types || KEYWORD_TYPES[keyword].some((type) => types.has(type));
  });
}

function boundOf(schema: Schema, keyword: Bound): number | undefined {
  const folded = foldAllOf(schema);
  const value = folded[keyword];
  const exclusive = keyword === 'maximum' ? folded.exclusiveMaximum : keyword === 'minimum' ? folded.exclusiveMinimum : undefined;
  const candidates = [value, exclusive].filter((n): n is number => typeof n === 'number');
  if (!candidates.length) return undefined;
  return keyword.startsWith('max') ? Math.min(...candidates) : Math.max(...candidates);
}

/**
 * A request bound that got stricter (v2 rejects values v1 accepted): `maxLength` lowered or
 * added, `minimum` raised or added... `upper` says whether the keyword caps values from above.
 */
export function requestBoundTightened(id: string, keyword: Bound, description: string, level: Level = 'error', when: 'changed' | 'set' | 'either' = 'either'): Rule {
  const upper = keyword.startsWith('max');
  return {
    id,
    level,
    description,
    site: 'request-schema',
    check: (site: SchemaSite): FindingDraft[] => {
      if (!comparable(site, keyword)) return [];
      const [before, after] = [boundOf(site.v1, keyword), boundOf(site.v2, keyword)];
      if (after === undefined || (before !== undefined && (upper ? after >= before : after <= before))) return [];
      // A bound that appears where there was none cannot be confirmed to reject real v1 values
      // (oasdiff's "...-set" checks are warnings for that reason); one that tightens can.
      if ((when === 'changed' && before === undefined) || (when === 'set' && before !== undefined)) return [];
      return [{ message: `${keyword} ${before === undefined ? `added: ${after}` : `${upper ? 'lowered' : 'raised'} from ${before} to ${after}`}; v2 rejects values v1 accepted` }];
    },
  };
}

/** A response bound that got looser (v2 may send values v1 never did). */
export function responseBoundLoosened(id: string, keyword: Bound, description: string, level: Level = 'warn'): Rule {
  const upper = keyword.startsWith('max');
  return {
    id,
    level,
    description,
    site: 'response-schema',
    check: (site: SchemaSite): FindingDraft[] => {
      if (!comparable(site, keyword)) return [];
      const [before, after] = [boundOf(site.v1, keyword), boundOf(site.v2, keyword)];
      if (before === undefined || (after !== undefined && (upper ? after <= before : after >= before))) return [];
      return [{ message: `${keyword} ${after === undefined ? `${before} dropped` : `${upper ? 'raised' : 'lowered'} from ${before} to ${after}`}; v2 may send values v1 never did` }];
    },
  };
}

export function enumValues(schema: Schema): unknown[] | undefined {
  const folded = foldAllOf(schema);
  return Array.isArray(folded.enum) ? folded.enum.filter((value) => value !== null) : undefined;
}

/** Values of `from` that `to` does not list (by JSON equality). */
export function missingValues(from: unknown[], to: unknown[]): unknown[] {
  const known = new Set(to.map((value) => JSON.stringify(value)));
  return from.filter((value) => !known.has(JSON.stringify(value)));
}

export function admitsNull(schema: Schema): boolean {
  const types = typesOf(schema);
  return !!types?.has('null') || (Array.isArray(foldAllOf(schema).enum) && (foldAllOf(schema).enum as unknown[]).includes(null));
}

/** Whether every value of type `type` is admitted by `types` (integer is a number). */
export function admitsType(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

export function formatOf(schema: Schema): string | undefined {
  const format = foldAllOf(schema).format;
  return typeof format === 'string' ? format : undefined;
}

export function patternOf(schema: Schema): string | undefined {
  const pattern = foldAllOf(schema).pattern;
  return typeof pattern === 'string' ? pattern : undefined;
}

export function list(values: unknown[]): string {
  return values.map(code).join(', ');
}

export function isSuccess(status: string): boolean {
  return /^2/.test(status);
}
