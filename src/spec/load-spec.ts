import { resolve } from 'node:path';
import { dereference, validate } from '@readme/openapi-parser';
import type { OpenAPI, OpenAPIV2, OpenAPIV3 } from 'openapi-types';
import { readYamlSource, SourceLoadError } from '../io/yaml-source.js';
import { isRecord, type ParameterLocation, type Schema, type SpecDocument, type SpecMedia, type SpecOperation, type SpecParameter, type SpecResponse } from './model.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The document could not be loaded: the message names the file and says where and why. */
export class SpecLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecLoadError';
  }
}

/**
 * Reads an OpenAPI 3.0/3.1 or Swagger 2.0 document (YAML or JSON) with its `$ref`s across local
 * files, validates it against its version's schema, dereferences it (circular references become
 * cycles) and reduces it to a SpecDocument. `displayName` is the file as the user typed it.
 */
export async function loadSpec(file: string, displayName = file, options: { validate?: boolean } = {}): Promise<SpecDocument> {
  const path = resolve(file);
  let source;
  try {
    // Our own YAML read first: syntax errors come out as file:line:column, like every other file.
    source = await readYamlSource(path, displayName);
  } catch (error) {
    if (error instanceof SourceLoadError) throw new SpecLoadError(error.message);
    throw error;
  }
  const root = source.value;
  if (!isRecord(root) || (typeof root.openapi !== 'string' && root.swagger !== '2.0')) {
    throw new SpecLoadError(`${displayName}:1:1 error: not an OpenAPI document: it needs "openapi: 3.0.x" / "openapi: 3.1.x" or "swagger: '2.0'" at the top`);
  }
  if (options.validate !== false) await validateSpec(path, displayName);
  let api: OpenAPI.Document;
  try {
    api = await dereference(path, { resolve: { file: true, external: true }, dereference: { circular: true } });
  } catch (error) {
    throw new SpecLoadError(`${displayName}: cannot resolve its $refs: ${(error as Error).message}`);
  }
  return { ...normalise(api, displayName), locate: source.locate };
}

/** The document against its version's JSON Schema and the parser's own checks (duplicate operationIds...). */
async function validateSpec(path: string, displayName: string): Promise<void> {
  const result = await validate(path, { resolve: { file: true, external: true } }).catch((error: Error) => {
    throw new SpecLoadError(`${displayName}: ${error.message}`);
  });
  if (!result.valid) {
    const lines = result.errors.map((problem) => `  - ${problem.message.replace(/\n/g, '\n    ')}`);
    const more = result.additionalErrors ? `\n  (and ${result.additionalErrors} more)` : '';
    throw new SpecLoadError(`${displayName}: invalid ${result.specification ?? 'OpenAPI'} document:\n${lines.join('\n')}${more}\n  (api-compat diff --no-validate reads documents that break the schema, as far as they can be read)`);
  }
}

export function normalise(api: OpenAPI.Document, file: string): SpecDocument {
  const swagger = 'swagger' in api && api.swagger === '2.0';
  const version = swagger ? '2.0' : String((api as OpenAPIV3.Document).openapi);
  const operations: SpecOperation[] = [];
  const globalSecurity = (api as { security?: Array<Record<string, string[]>> }).security;
  for (const [path, item] of Object.entries(api.paths ?? {})) {
    if (!isRecord(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const raw = operation as OpenAPIV3.OperationObject & OpenAPIV2.OperationObject;
      const parameters = mergeParameters(shared, Array.isArray(raw.parameters) ? raw.parameters : []);
      const normalised: SpecOperation = {
        method: method.toUpperCase(),
        path,
        operationId: typeof raw.operationId === 'string' ? raw.operationId : undefined,
        summary: typeof raw.summary === 'string' ? raw.summary : undefined,
        deprecated: raw.deprecated === true,
        parameters: [],
        responses: {},
        security: securityOf(raw.security ?? globalSecurity),
      };
      if (swagger) fillSwaggerOperation(normalised, parameters, raw, api as OpenAPIV2.Document);
      else fillOpenApiOperation(normalised, parameters, raw);
      operations.push(normalised);
    }
  }
  return { file, version, title: String(api.info?.title ?? ''), operations };
}

/** Operation parameters override path-item ones with the same name and location. */
function mergeParameters(shared: unknown[], own: unknown[]): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const parameter of [...shared, ...own]) {
    if (isRecord(parameter)) byKey.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
  }
  return [...byKey.values()];
}

function securityOf(requirements: Array<Record<string, string[]>> | undefined): string[][] {
  if (!Array.isArray(requirements)) return [];
  return requirements
    .map((requirement) => Object.entries(requirement).flatMap(([scheme, scopes]) => (Array.isArray(scopes) && scopes.length ? scopes.map((scope) => `${scheme}:${scope}`) : [scheme])).sort())
    .filter((alternative, _, all) => alternative.length > 0 || all.length > 1);
}

function mediaKey(mediaType: string): string {
  return mediaType.split(';', 1)[0]!.trim().toLowerCase();
}

function parameterOf(raw: Record<string, unknown>, schema: Schema): SpecParameter {
  const location = raw.in as ParameterLocation;
  return {
    name: location === 'header' ? String(raw.name).toLowerCase() : String(raw.name),
    in: location,
    required: raw.required === true || location === 'path',
    schema,
    deprecated: raw.deprecated === true,
  };
}

function fillOpenApiOperation(target: SpecOperation, parameters: Record<string, unknown>[], raw: OpenAPIV3.OperationObject): void {
  for (const parameter of parameters) {
    if (!['path', 'query', 'header', 'cookie'].includes(String(parameter.in))) continue;
    let schema = isRecord(parameter.schema) ? parameter.schema : undefined;
    if (!schema && isRecord(parameter.content)) schema = Object.values(parameter.content).find(isRecord)?.schema as Schema | undefined;
    target.parameters.push(parameterOf(parameter, normaliseSchema(schema ?? {})));
  }
  const body = raw.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  if (isRecord(body)) target.requestBody = { required: body.required === true, content: contentOf(body.content) };
  for (const [status, response] of Object.entries(raw.responses ?? {})) {
    if (!isRecord(response)) continue;
    const headers: SpecResponse['headers'] = {};
    for (const [name, header] of Object.entries((response as OpenAPIV3.ResponseObject).headers ?? {})) {
      if (!isRecord(header)) continue;
      headers[name.toLowerCase()] = { required: header.required === true, schema: normaliseSchema(isRecord(header.schema) ? header.schema : {}) };
    }
    target.responses[status.toUpperCase()] = { content: contentOf((response as OpenAPIV3.ResponseObject).content), headers };
  }
}

function contentOf(content: Record<string, unknown> | undefined): Record<string, SpecMedia> {
  const result: Record<string, SpecMedia> = {};
  for (const [mediaType, media] of Object.entries(content ?? {})) {
    result[mediaKey(mediaType)] = { schema: isRecord(media) && isRecord(media.schema) ? normaliseSchema(media.schema) : undefined };
  }
  return result;
}

/** Swagger 2.0: body and formData parameters become the request body; produces/consumes the media types. */
function fillSwaggerOperation(target: SpecOperation, parameters: Record<string, unknown>[], raw: OpenAPIV2.OperationObject, api: OpenAPIV2.Document): void {
  const consumes = (raw.consumes ?? api.consumes ?? ['application/json']).map(mediaKey);
  const produces = (raw.produces ?? api.produces ?? ['application/json']).map(mediaKey);
  const form: Schema = { type: 'object', properties: {}, required: [] };
  for (const parameter of parameters) {
    if (parameter.in === 'body') {
      const schema = normaliseSchema(isRecord(parameter.schema) ? parameter.schema : {});
      target.requestBody = { required: parameter.required === true, content: Object.fromEntries(consumes.filter((m) => !m.startsWith('multipart/') && m !== 'application/x-www-form-urlencoded').map((m) => [m, { schema }])) };
    } else if (parameter.in === 'formData') {
      (form.properties as Record<string, Schema>)[String(parameter.name)] = swaggerParameterSchema(parameter);
      if (parameter.required === true) (form.required as string[]).push(String(parameter.name));
    } else {
      target.parameters.push(parameterOf(parameter, swaggerParameterSchema(parameter)));
    }
  }
  if (Object.keys(form.properties as object).length) {
    const formTypes = consumes.filter((m) => m.startsWith('multipart/') || m === 'application/x-www-form-urlencoded');
    target.requestBody = { required: (form.required as string[]).length > 0, content: Object.fromEntries((formTypes.length ? formTypes : ['application/x-www-form-urlencoded']).map((m) => [m, { schema: form }])) };
  }
  for (const [status, response] of Object.entries(raw.responses ?? {})) {
    if (!isRecord(response)) continue;
    const schema = isRecord(response.schema) ? normaliseSchema(response.schema) : undefined;
    const headers: SpecResponse['headers'] = {};
    for (const [name, header] of Object.entries((response as OpenAPIV2.ResponseObject).headers ?? {})) {
      if (isRecord(header)) headers[name.toLowerCase()] = { required: false, schema: normaliseSchema(header) };
    }
    target.responses[status.toUpperCase()] = { content: schema ? Object.fromEntries(produces.map((m) => [m, { schema }])) : {}, headers };
  }
}

/** A Swagger 2.0 non-body parameter carries its schema keywords inline. */
function swaggerParameterSchema(parameter: Record<string, unknown>): Schema {
  const { name: _name, in: _in, required: _required, description: _description, collectionFormat: _format, allowEmptyValue: _empty, ...schema } = parameter;
  return normaliseSchema(schema);
}

const normalised = new WeakMap<object, Schema>();

/**
 * One dialect for every version: OpenAPI 3.0's `nullable: true` and Swagger's `x-nullable`
 * become a "null" member of `type`, `const` becomes a one-value `enum`. Done on a copy that keeps
 * the cycles of the dereferenced graph (a cache per source object).
 */
export function normaliseSchema(schema: Record<string, unknown>): Schema {
  const cached = normalised.get(schema);
  if (cached) return cached;
  const copy: Schema = {};
  normalised.set(schema, copy);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'x-nullable') continue;
    if (key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions') {
      copy[key] = isRecord(value) ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isRecord(sub) ? normaliseSchema(sub) : sub])) : value;
    } else if (['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames'].includes(key)) {
      copy[key] = isRecord(value) ? normaliseSchema(value) : Array.isArray(value) ? value.map((sub) => (isRecord(sub) ? normaliseSchema(sub) : sub)) : value;
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf' || key === 'prefixItems') {
      copy[key] = Array.isArray(value) ? value.map((sub) => (isRecord(sub) ? normaliseSchema(sub) : sub)) : value;
    } else {
      copy[key] = value;
    }
  }
  if ('const' in copy && !('enum' in copy)) copy.enum = [copy.const];
  if (schema.nullable === true || schema['x-nullable'] === true) {
    const types = typeList(copy);
    if (types.length && !types.includes('null')) copy.type = [...types, 'null'];
    if (Array.isArray(copy.enum) && !copy.enum.includes(null)) copy.enum = [...copy.enum, null];
  }
  return copy;
}

/** The `type` keyword as a list ([] when absent). */
export function typeList(schema: Schema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}
