import { typeList } from './load-spec.js';
import { isRecord, type Schema } from './model.js';

/**
 * Structural views of dereferenced schemas shared by the diff, coverage, verification and the
 * draft mapping: `allOf` folded into one schema, the schema at a message path, a type signature.
 */

const merged = new WeakMap<Schema, Schema>();

/**
 * `allOf` is a conjunction, so its members' properties, required lists and constraints combine
 * into one object schema. Comparing the combined schemas is what makes `allOf: [Base, {extra}]`
 * versus an inlined object a non-change (a known blind spot of comparing `allOf` lists by index).
 */
export function foldAllOf(schema: Schema): Schema {
  const cached = merged.get(schema);
  if (cached) return cached;
  if (!Array.isArray(schema.allOf)) return schema;
  const result: Schema = { ...schema };
  delete result.allOf;
  merged.set(schema, result);
  const properties: Record<string, Schema> = { ...(isRecord(schema.properties) ? (schema.properties as Record<string, Schema>) : {}) };
  const required = new Set<string>(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const member of schema.allOf) {
    if (!isRecord(member)) continue;
    const part = foldAllOf(member);
    for (const [name, sub] of Object.entries(isRecord(part.properties) ? part.properties : {})) {
      if (isRecord(sub)) properties[name] = properties[name] ? { allOf: [properties[name], sub] } : sub;
    }
    for (const name of Array.isArray(part.required) ? part.required : []) required.add(String(name));
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' || key === 'required') continue;
      if (!(key in result)) result[key] = value;
      else if (typeof value === 'number' && typeof result[key] === 'number') result[key] = tighter(key, result[key] as number, value);
    }
  }
  if (Object.keys(properties).length) result.properties = Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, foldAllOf(sub)]));
  if (required.size) result.required = [...required];
  return result;
}

function tighter(key: string, a: number, b: number): number {
  return /^(max|exclusiveMax)/.test(key) ? Math.min(a, b) : Math.max(a, b);
}

export function propertiesOf(schema: Schema): Record<string, Schema> {
  const folded = foldAllOf(schema);
  return isRecord(folded.properties) ? (folded.properties as Record<string, Schema>) : {};
}

export function requiredOf(schema: Schema): Set<string> {
  const folded = foldAllOf(schema);
  return new Set(Array.isArray(folded.required) ? folded.required.map(String) : []);
}

/** Types a schema admits, with `integer` implied by `number`; undefined when it does not say. */
export function typesOf(schema: Schema): Set<string> | undefined {
  const folded = foldAllOf(schema);
  const types = typeList(folded);
  if (types.length) return new Set(types);
  if (isRecord(folded.properties)) return new Set(['object']);
  if (isRecord(folded.items)) return new Set(['array']);
  return undefined;
}

/** A short signature for pairing fields by type: "string", "string enum(a|b)", "array<object>". */
export function typeSignature(schema: Schema, depth = 0): string {
  const folded = foldAllOf(schema);
  const types = [...(typesOf(folded) ?? new Set(['any']))].filter((t) => t !== 'null').sort().join('|');
  const enumPart = Array.isArray(folded.enum) ? ` enum(${folded.enum.filter((v) => v !== null).map(String).sort().join('|')})` : '';
  const format = typeof folded.format === 'string' ? ` ${folded.format}` : '';
  const items = depth < 2 && isRecord(folded.items) ? `<${typeSignature(folded.items as Schema, depth + 1)}>` : '';
  return `${types}${format}${enumPart}${items}`;
}

/** Alternatives of a oneOf/anyOf, or the schema itself. */
export function alternatives(schema: Schema): Schema[] {
  const folded = foldAllOf(schema);
  const list = [folded.oneOf, folded.anyOf].find(Array.isArray) as unknown[] | undefined;
  return list ? list.filter(isRecord).map((member) => foldAllOf(member)) : [folded];
}

/**
 * The schemas a message path reaches inside a body schema: `results[].content` (the part after
 * `body.`). Several when oneOf/anyOf branch; [] when the path leaves what the schema describes.
 * A schema that does not describe its properties at all is returned as it is (it admits anything).
 */
export function schemasAt(schema: Schema, path: string): Schema[] {
  let current: Schema[] = [schema];
  for (const segment of pathSegments(path)) {
    const next: Schema[] = [];
    for (const candidate of current.flatMap(alternatives)) {
      if (segment === '[]') {
        if (isRecord(candidate.items)) next.push(candidate.items as Schema);
        else if (!typesOf(candidate)) next.push({});
        continue;
      }
      const properties = propertiesOf(candidate);
      if (properties[segment]) next.push(properties[segment]!);
      else if (!isRecord(candidate.properties) && !typesOf(candidate)) next.push({});
      else if (isRecord(candidate.additionalProperties)) next.push(candidate.additionalProperties as Schema);
    }
    current = next;
    if (!current.length) return [];
  }
  return current;
}

/** `results[].content` -> ['results', '[]', 'content']; `[]` -> ['[]']. */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const match = /^(.*?)((?:\[\])*)$/.exec(part)!;
    if (match[1]) segments.push(match[1]);
    for (let i = 0; i < match[2]!.length / 2; i++) segments.push('[]');
  }
  return segments;
}

export function joinPath(base: string, segment: string): string {
  if (segment === '[]') return `${base}[]`;
  return base ? `${base}.${segment}` : segment;
}
