import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../src/spec/diff.js';
import { loadSpec, SpecLoadError } from '../../src/spec/load-spec.js';
import { propertiesOf } from '../../src/spec/schema-shape.js';

const cases = (name: string) => fileURLToPath(new URL(`../cases/specs/${name}`, import.meta.url));

describe('loading OpenAPI documents', () => {
  it('reads Swagger 2.0: body parameters become the request body, inline parameter schemas, x-nullable', async () => {
    const spec = await loadSpec(cases('swagger2.yaml'), 'swagger2.yaml');
    expect(spec.version).toBe('2.0');
    const getPet = spec.operations.find((op) => op.operationId === 'getPet')!;
    expect(getPet.parameters.map((p) => [p.in, p.name, p.required, p.schema.type])).toEqual([
      ['path', 'petId', true, 'integer'],
      ['query', 'fields', false, 'string'],
    ]);
    const pet = getPet.responses['200']!.content['application/json']!.schema!;
    expect(propertiesOf(pet).nickname!.type).toEqual(['string', 'null']);
    const addPet = spec.operations.find((op) => op.operationId === 'addPet')!;
    expect(addPet.requestBody?.required).toBe(true);
    expect(Object.keys(addPet.requestBody!.content)).toEqual(['application/json']);
  });

  it('reads OpenAPI 3.0 with a $ref into another file and a circular $ref', async () => {
    const spec = await loadSpec(cases('openapi30.yaml'));
    const pet = spec.operations[0]!.responses['200']!.content['application/json']!.schema!;
    expect(propertiesOf(pet).nickname!.type).toEqual(['string', 'null']);
    // The circular `parent` is the same object again, not an endless copy.
    expect(propertiesOf(pet).parent).toBe(pet);
  });

  it('diffs across versions: Swagger 2.0 against OpenAPI 3.0, through the cycle', async () => {
    const [v1, v2] = await Promise.all([loadSpec(cases('swagger2.yaml'), 'swagger2.yaml'), loadSpec(cases('openapi30.yaml'), 'openapi30.yaml')]);
    const findings = diffSpecs(v1, v2).findings.map((f) => `${f.rule} ${f.operation} ${f.v1Path ?? f.v2Path ?? ''}`);
    expect(findings).toContain('response-type-changed GET /pets/{petId} body.id');
    expect(findings).toContain('endpoint-removed POST /pets ');
    expect(findings).toContain('request-parameter-removed GET /pets/{petId} query.fields');
    // `parent` is a Pet too: its id change is reported once, at the first place it is reached.
    expect(findings.filter((f) => f.startsWith('response-type-changed'))).toEqual(['response-type-changed GET /pets/{petId} body.id']);
  });

  it('names the file and says what is wrong in an invalid document', async () => {
    const error = await loadSpec(cases('invalid.yaml'), 'specs/invalid.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecLoadError);
    expect((error as Error).message).toMatch(/^specs\/invalid\.yaml: invalid OpenAPI document/);
    expect((error as Error).message).toMatch(/version/);
    expect((error as Error).message).toMatch(/description/);
  });

  it('reads a document that breaks its schema when validation is off, as far as it can be read', async () => {
    const spec = await loadSpec(cases('invalid.yaml'), 'invalid.yaml', { validate: false });
    expect(spec.operations.map((op) => `${op.method} ${op.path}`)).toEqual(['GET /pets']);
  });

  it('gives file:line:column for YAML syntax errors', async () => {
    const error = await loadSpec(cases('syntax-error.yaml'), 'syntax-error.yaml').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^syntax-error\.yaml:\d+:\d+ error: YAML syntax/);
  });

  it('refuses a file that is no OpenAPI document, and a missing file', async () => {
    await expect(loadSpec(cases('components.yaml'), 'components.yaml')).rejects.toThrow(/components\.yaml:1:1 error: not an OpenAPI document/);
    await expect(loadSpec(cases('nope.yaml'), 'nope.yaml')).rejects.toThrow(/nope\.yaml:1:1 error: cannot read the file: file not found/);
  });
});
