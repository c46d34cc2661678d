import { foldAllOf } from './schema-shape.js';
import { isRecord, type Schema } from './model.js';

/** The `discriminator.propertyName` of a oneOf/anyOf, if it declares one. */
export function discriminatorOf(schema: Schema): string | undefined {
  const discriminator = foldAllOf(schema).discriminator;
  return isRecord(discriminator) && typeof discriminator.propertyName === 'string' ? discriminator.propertyName : undefined;
}
