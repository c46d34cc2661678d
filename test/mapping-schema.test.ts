import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { schemaPath, validateAgainstSchema } from '../src/io/schema-validation.js';

/*
 * schemas/mapping.schema.json is what editors complete a mapping from: every property carries a
 * description and examples, and each example is a value the property accepts.
 */
type JsonSchema = { [keyword: string]: unknown; description?: string; examples?: unknown[]; properties?: Record<string, JsonSchema> };

const schema = JSON.parse(readFileSync(schemaPath('mapping'), 'utf8')) as JsonSchema & { $id: string };

/** Every `properties` entry anywhere in the schema (inside $defs, oneOf, items...), by JSON pointer. */
function propertySchemas(node: unknown, pointer = ''): Array<{ pointer: string; schema: JsonSchema }> {
  if (Array.isArray(node)) return node.flatMap((child, index) => propertySchemas(child, `${pointer}/${index}`));
  if (typeof node !== 'object' || node === null) return [];
  const found: Array<{ pointer: string; schema: JsonSchema }> = [];
  for (const [key, child] of Object.entries(node)) {
    if (key === 'examples' || key === 'default' || key === 'const' || key === 'enum') continue;
    const childPointer = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === 'properties' && typeof child === 'object' && child !== null) {
      for (const [name, property] of Object.entries(child)) found.push({ pointer: `${childPointer}/${name}`, schema: property as JsonSchema });
    }
    found.push(...propertySchemas(child, childPointer));
  }
  return found;
}

/** A mapping whose only endpoint has the given response steps and resources. */
function mappingWith(resources: Record<string, unknown[]>, response: unknown[]): unknown {
  return { name: 'schema test', upstream: 'http://127.0.0.1:4002', resources, endpoints: [{ id: 'one', v1: 'GET /v1/things', v2: 'GET /v2/things', response }] };
}

describe('schemas/mapping.schema.json', () => {
  it('documents every property with a description and examples that validate against it', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    ajv.addSchema(schema);
    const properties = propertySchemas(schema).filter(({ schema: property }) => property.$ref === undefined);
    expect(properties.length).toBeGreaterThan(100);
    for (const { pointer, schema: property } of properties) {
      expect(typeof property.description, `${pointer} has a description`).toBe('string');
      expect(property.examples?.length, `${pointer} has examples`).toBeGreaterThan(0);
      const validate = ajv.getSchema(`${schema.$id}#${pointer}`)!;
      for (const example of property.examples ?? []) {
        expect(validate(example), `${pointer} example ${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
  });

  it('accepts onMismatch on coerce and enum, and deep on resource', () => {
    const document = mappingWith(
      {
        Ids: [
          { coerce: { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'keep' } },
          { enum: { field: 'state', map: { on: 'ON' }, onMismatch: 'fail' } },
        ],
      },
      [{ resource: { at: 'body', is: 'Ids', deep: true } }, { coerce: { field: 'body.count', v1: 'integer', v2: 'string', onMismatch: 'fail' } }],
    );
    expect(validateAgainstSchema('mapping', document)).toEqual([]);
  });

  it.each([
    ['an unknown onMismatch', { Ids: [{ coerce: { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'ignore' } }] }, [], '/resources/Ids/0/coerce/onMismatch'],
    ['an unknown enum onMismatch', { Ids: [{ enum: { field: 'state', map: { on: 'ON' }, onMismatch: true } }] }, [], '/resources/Ids/0/enum/onMismatch'],
    ['a deep that is not a boolean', { Ids: [] }, [{ resource: { at: 'body', is: 'Ids', deep: 'yes' } }], '/endpoints/0/response/0/resource/deep'],
  ])('rejects %s at its pointer', (_case, resources, response, pointer) => {
    const problems = validateAgainstSchema('mapping', mappingWith(resources, response));
    expect(problems.map((problem) => problem.pointer)).toContain(pointer);
  });
});
