import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { REPORT_VERSION, type CompatReport } from '../../src/core/model/report.js';
import { buildEmptyReport, buildReport } from './fixtures.js';

/*
 * schemas/report.schema.json is the published contract for report.json. These tests keep it
 * honest: the realistic fixture (typed as CompatReport, with every optional field filled somewhere)
 * must validate, broken reports must not, and every schema property must occur in the fixture, so
 * the schema cannot describe a field the type does not have.
 */

type JsonSchema = {
  $ref?: string;
  description?: string;
  examples?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  $defs?: Record<string, JsonSchema>;
  const?: unknown;
  [keyword: string]: unknown;
};

const schemaFile = fileURLToPath(new URL('../../schemas/report.schema.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as JsonSchema & { $id: string };

let compiled: { ajv: Ajv2020; validate: ValidateFunction } | undefined;

/** Strict mode rejects unknown keywords and other schema mistakes instead of ignoring them. */
function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv;
}

function compile(): { ajv: Ajv2020; validate: ValidateFunction } {
  if (!compiled) {
    const ajv = newAjv();
    ajv.addSchema(schema);
    compiled = { ajv, validate: ajv.getSchema(schema.$id)! };
  }
  return compiled;
}

function shadowReport(): CompatReport {
  const base = buildReport();
  return { ...base, run: { ...base.run, source: { kind: 'shadow', upstream: 'http://127.0.0.1:4002', exchanges: 40, dropped: 1, queued: 0 } } };
}

/** report.json is JSON: undefined fields vanish, exactly as the checker writes them. */
function asWritten(report: CompatReport): CompatReport {
  return JSON.parse(JSON.stringify(report)) as CompatReport;
}

function errorsOf(value: unknown): Array<{ instancePath: string; keyword: string }> {
  const { validate } = compile();
  validate(value);
  return (validate.errors ?? []).map(({ instancePath, keyword }) => ({ instancePath, keyword }));
}

function resolve(node: JsonSchema): JsonSchema {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = schema.$defs?.[name];
  if (!target) throw new Error(`unresolved ${node.$ref}`);
  return resolve(target);
}

/** Every property of the schema as a path: summary.scenarios.identical, scenarios[].latency.v1.p50, ... */
function schemaPaths(node: JsonSchema, prefix = ''): string[] {
  const resolved = resolve(node);
  if (resolved.items) return schemaPaths(resolved.items, `${prefix}[]`);
  return Object.entries(resolved.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...schemaPaths(child, path)];
  });
}

/** The same paths as they occur in a value, walking only where the schema has properties. */
function valuePaths(value: unknown, node: JsonSchema, prefix = ''): string[] {
  const resolved = resolve(node);
  if (resolved.items) return Array.isArray(value) ? value.flatMap((item) => valuePaths(item, resolved.items!, `${prefix}[]`)) : [];
  if (!resolved.properties || typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childSchema = resolved.properties?.[key];
    const path = prefix ? `${prefix}.${key}` : key;
    return childSchema ? [path, ...valuePaths(child, childSchema, path)] : [path];
  });
}

/** Every subschema declaring properties, with its JSON pointer, to check their documentation. */
function propertySchemas(node: JsonSchema, pointer = ''): Array<{ pointer: string; schema: JsonSchema }> {
  const own = Object.entries(node.properties ?? {}).map(([key, child]) => ({ pointer: `${pointer}/properties/${key}`, schema: child }));
  const nested = [
    ...Object.entries(node.properties ?? {}).flatMap(([key, child]) => propertySchemas(child, `${pointer}/properties/${key}`)),
    ...Object.entries(node.$defs ?? {}).flatMap(([key, child]) => propertySchemas(child, `${pointer}/$defs/${key}`)),
    ...(node.items ? propertySchemas(node.items, `${pointer}/items`) : []),
  ];
  return [...own, ...nested];
}

describe('schemas/report.schema.json', () => {
  it('is a valid JSON Schema 2020-12 under ajv strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => newAjv().compile(schema)).not.toThrow();
  });

  it('accepts the realistic fixture and the empty report', () => {
    expect(errorsOf(asWritten(buildReport()))).toEqual([]);
    expect(errorsOf(asWritten(buildReport({ partial: true })))).toEqual([]);
    expect(errorsOf(asWritten(buildEmptyReport()))).toEqual([]);
  });

  it('pins reportVersion to the version the code writes', () => {
    expect(schema.properties?.reportVersion?.const).toBe(REPORT_VERSION);
    expect(errorsOf({ ...asWritten(buildReport()), reportVersion: 2 })).toContainEqual({ instancePath: '/reportVersion', keyword: 'const' });
  });

  /** Breaks a report the way a buggy checker might; casts say "this value is wrong on purpose". */
  const breakages: Array<[string, (report: CompatReport) => void, string, string]> = [
    ['an unknown overall verdict', (r) => void (r.summary.verdict = 'maybe' as never), '/summary/verdict', 'enum'],
    ['an overall verdict only endpoints may have', (r) => void (r.summary.verdict = 'removed' as never), '/summary/verdict', 'enum'],
    ['an unknown endpoint verdict', (r) => void (r.endpoints[0]!.verdict = 'ready-ish' as never), '/endpoints/0/verdict', 'enum'],
    ['an unknown outcome', (r) => void (r.scenarios[0]!.outcome = 'fine' as never), '/scenarios/0/outcome', 'enum'],
    ['an unknown difference label', (r) => void (r.scenarios[1]!.differences[0]!.label = 'ignored' as never), '/scenarios/1/differences/0/label', 'enum'],
    ['an unknown latency target', (r) => void Object.assign(r.scenarios[0]!.latency, { staging: r.scenarios[0]!.latency.v1 }), '/scenarios/0/latency', 'additionalProperties'],
    ['a score over 100', (r) => void (r.endpoints[0]!.score = 101), '/endpoints/0/score', 'maximum'],
    ['a missing formula', (r) => void delete (r as Partial<CompatReport>).formula, '', 'required'],
    ['an unknown top-level field', (r) => void Object.assign(r, { secrets: 'x' }), '', 'additionalProperties'],
    ['a start time that is not a date-time', (r) => void (r.run.startedAt = 'yesterday'), '/run/startedAt', 'format'],
    ['a missing outcome count', (r) => void delete (r.summary.scenarios as Partial<Record<string, number>>).error, '/summary/scenarios', 'required'],
  ];

  it('accepts the run source of a shadow report and rejects an unknown one', () => {
    expect(errorsOf(asWritten(shadowReport()))).toEqual([]);
    const unknown = asWritten(shadowReport());
    (unknown.run.source as { kind: string }).kind = 'replay';
    expect(errorsOf(unknown)).toContainEqual({ instancePath: '/run/source/kind', keyword: 'const' });
  });

  it.each(breakages)('rejects %s', (_case, breakIt, instancePath, keyword) => {
    const report = asWritten(buildReport());
    breakIt(report);
    expect(errorsOf(report)).toContainEqual({ instancePath, keyword });
  });

  it('describes only fields the report type has: each property occurs in the fully populated fixture', () => {
    const declared = new Set(schemaPaths(schema));
    // A report exported from shadow traffic carries run.source, which a scenario run never has.
    const present = new Set([buildReport(), shadowReport()].flatMap((report) => valuePaths(asWritten(report), schema)));
    expect([...declared].filter((path) => !present.has(path))).toEqual([]);
    expect([...present].filter((path) => !declared.has(path))).toEqual([]);
  });

  it('documents every property with a description and examples that validate against it', () => {
    const { ajv } = compile();
    const properties = propertySchemas(schema);
    expect(properties.length).toBeGreaterThan(60);
    for (const { pointer, schema: property } of properties) {
      expect(typeof property.description, `${pointer} has a description`).toBe('string');
      expect(property.examples?.length, `${pointer} has examples`).toBeGreaterThan(0);
      const validate = ajv.getSchema(`${schema.$id}#${pointer}`)!;
      for (const example of property.examples ?? []) {
        expect(validate(example), `${pointer} example ${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
  });
});
