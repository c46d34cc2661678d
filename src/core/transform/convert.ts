import { TransformError } from '../errors.js';

/** Value types a mapping can convert between (`as:` on moves, `coerce` rules). */
export const SCALAR_TYPES = ['integer', 'number', 'string', 'boolean'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** `as:` conversions: the scalar types plus list forms common in query strings. */
export const CONVERSIONS = [...SCALAR_TYPES, 'csv', 'array'] as const;
export type Conversion = (typeof CONVERSIONS)[number];

export type Converter = (value: unknown, where: string) => unknown;

/** null passes through every conversion: absence of a value is not a type error. */
export function converterFor(conversion: Conversion): Converter {
  switch (conversion) {
    case 'integer':
      return (value, where) => {
        if (value === null || (typeof value === 'number' && Number.isInteger(value))) return value;
        if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
        throw new TransformError(`expected an integer at ${where}, got ${describeValue(value)}`, where);
      };
    case 'number':
      return (value, where) => {
        if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
        if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
        throw new TransformError(`expected a number at ${where}, got ${describeValue(value)}`, where);
      };
    case 'string':
      return (value, where) => {
        if (value === null || typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        throw new TransformError(`expected a string, number or boolean at ${where}, got ${describeValue(value)}`, where);
      };
    case 'boolean':
      return (value, where) => {
        if (value === null || typeof value === 'boolean') return value;
        if (value === 'true') return true;
        if (value === 'false') return false;
        throw new TransformError(`expected true or false at ${where}, got ${describeValue(value)}`, where);
      };
    case 'csv':
      return (value, where) => {
        if (value === null || Array.isArray(value)) return value;
        if (typeof value === 'string') return value === '' ? [] : value.split(',').map((part) => part.trim());
        throw new TransformError(`expected a comma-separated string at ${where}, got ${describeValue(value)}`, where);
      };
    case 'array':
      return (value) => (value === null || Array.isArray(value) ? value : [value]);
  }
}

/**
 * The conversion that undoes `conversion` for values that came out of it, e.g. a query string
 * `"5"` moved with `as: integer` goes back to the query as `"5"`.
 */
export function inverseConverterFor(conversion: Conversion): Converter {
  switch (conversion) {
    case 'integer':
    case 'number':
    case 'boolean':
      return converterFor('string');
    case 'csv':
      return (value) => (Array.isArray(value) ? value.join(',') : value);
    case 'array':
      return (value) => (Array.isArray(value) && value.length === 1 ? value[0] : value);
    case 'string':
      return (value) => value;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}
