import fc from 'fast-check';
import { isRecord, type Schema } from './model.js';
import { alternatives, foldAllOf, propertiesOf, requiredOf, typesOf } from './schema-shape.js';

/**
 * fast-check arbitraries for the values a JSON Schema admits, so that generated requests and
 * responses shrink to minimal counterexamples and repeat exactly under a seed. Recursive schemas
 * stop growing past a depth: optional properties and array items are left out there.
 */
const MAX_DEPTH = 6;

export function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const folded = foldAllOf(schema);
  if (Array.isArray(folded.enum) && folded.enum.length) return fc.constantFrom(...folded.enum);
  if (Array.isArray(folded.oneOf) || Array.isArray(folded.anyOf)) {
    return fc.oneof(...alternatives(folded).map((alternative) => arbitraryFor(mergeSiblings(folded, alternative), depth + 1)));
  }
  const types = [...(typesOf(folded) ?? new Set<string>())];
  if (!types.length) return fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -100, max: 100 }), fc.boolean());
  return fc.oneof(...types.map((type) => typedArbitrary(folded, type, depth)));
}

/** Properties written beside a oneOf apply to every alternative. */
function mergeSiblings(parent: Schema, alternative: Schema): Schema {
  if (!isRecord(parent.properties)) return alternative;
  return { allOf: [{ type: parent.type, properties: parent.properties, required: parent.required }, alternative] };
}

function typedArbitrary(schema: Schema, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArbitrary(schema);
    case 'number':
      return numberArbitrary(schema);
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return arrayArbitrary(schema, depth);
    case 'object':
      return objectArbitrary(schema, depth);
    default:
      return fc.constant(null);
  }
}

function bounds(schema: Schema): { min?: number; max?: number; minExcluded: boolean; maxExcluded: boolean } {
  const pick = (inclusive: unknown, exclusive: unknown) => {
    if (typeof exclusive === 'number') return { value: exclusive, excluded: true };
    if (typeof inclusive === 'number') return { value: inclusive, excluded: exclusive === true };
    return { value: undefined, excluded: false };
  };
  const low = pick(schema.minimum, schema.exclusiveMinimum);
  const high = pick(schema.maximum, schema.exclusiveMaximum);
  return { min: low.value, max: high.value, minExcluded: low.excluded, maxExcluded: high.excluded };
}

function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  const { min, max, minExcluded, maxExcluded } = bounds(schema);
  const low = min === undefined ? (max === undefined ? -1000 : Math.ceil(max) - 2000) : minExcluded ? Math.floor(min) + 1 : Math.ceil(min);
  const high = max === undefined ? low + 2000 : maxExcluded ? Math.ceil(max) - 1 : Math.floor(max);
  const step = typeof schema.multipleOf === 'number' && Number.isInteger(schema.multipleOf) && schema.multipleOf > 0 ? schema.multipleOf : 1;
  const first = Math.ceil(low / step);
  const last = Math.floor(high / step);
  return fc.integer({ min: first, max: Math.max(first, last) }).map((n) => n * step);
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const { min, max, minExcluded, maxExcluded } = bounds(schema);
  return fc.double({ min: min ?? -1e6, max: max ?? 1e6, minExcluded, maxExcluded, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 12);
  const fits = (text: string) => text.length >= minLength && text.length <= maxLength;
  switch (schema.format) {
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
    case 'url':
      return fc.webUrl();
    default:
      break;
  }
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter(fits);
    } catch {
      // A pattern JavaScript cannot compile: plain strings, and validation will say so.
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 16) });
}

function arrayArbitrary(schema: Schema, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const deep = depth >= MAX_DEPTH;
  const maxLength = Math.max(minLength, Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 3, deep ? minLength : 3));
  const items = isRecord(schema.items) ? arbitraryFor(schema.items as Schema, depth + 1) : fc.string({ maxLength: 4 });
  if (schema.uniqueItems === true) return fc.uniqueArray(items, { minLength, maxLength, selector: (value) => JSON.stringify(value) });
  return fc.array(items, { minLength, maxLength });
}

function objectArbitrary(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = propertiesOf(schema);
  const required = requiredOf(schema);
  const keys = Object.keys(properties).filter((name) => depth < MAX_DEPTH || required.has(name));
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of keys) model[name] = arbitraryFor(properties[name]!, depth + 1);
  for (const name of required) if (!(name in model)) model[name] = fc.string({ maxLength: 4 });
  return fc.record(model, { requiredKeys: [...required] });
}
