import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/*
 * Checks real HTTP exchanges against an OpenAPI 3.1 document: is the operation documented, is the
 * status one of its responses, do the content type, the required headers and the body match. Only
 * the parts of OpenAPI the example documents use are understood (local $refs, JSON bodies, simple
 * header schemas).
 */

type Schema = Record<string, unknown>;

interface Reference {
  $ref: string;
}

interface MediaType {
  schema?: Schema;
}

interface Header {
  required?: boolean;
  schema?: Schema;
}

interface ResponseObject {
  content?: Record<string, MediaType>;
  headers?: Record<string, Header | Reference>;
}

interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, MediaType> } | Reference;
  responses: Record<string, ResponseObject | Reference>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> } & Record<string, unknown>;
}

export interface HttpExchange {
  method: string;
  /** The request path; a query string, if any, is ignored. */
  path: string;
  /** The JSON value sent as the request body, if any. */
  requestBody?: unknown;
  status: number;
  headers: Headers;
  bodyText: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENTS_ID = 'urn:openapi:components';

interface Route {
  template: string;
  pattern: RegExp;
  operations: Map<string, Operation>;
}

export class OpenApiContract {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly validators = new WeakMap<Schema, ValidateFunction>();
  private readonly componentReferences = new Map<string, Schema>();
  private readonly routes: Route[];
  private readonly exercised = new Set<string>();

  static fromFile(path: string): OpenApiContract {
    return new OpenApiContract(parse(readFileSync(path, 'utf8')) as OpenApiDocument);
  }

  constructor(readonly document: OpenApiDocument) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointRefsAtComponents(document.components?.schemas ?? {}) });
    this.routes = Object.entries(document.paths)
      .map(([template, pathItem]) => toRoute(template, pathItem))
      // Literal segments win over parameters, as in every router: /knowledge/add before /knowledge/{id}.
      .sort((a, b) => countParameters(a.template) - countParameters(b.template));
  }

  /** Everything about the exchange that contradicts the document; empty when it conforms. */
  check(exchange: HttpExchange): string[] {
    const method = exchange.method.toLowerCase();
    const path = exchange.path.split('?')[0] ?? '';
    const route = this.routes.find((candidate) => candidate.pattern.test(path) && candidate.operations.has(method));
    const operation = route?.operations.get(method);
    if (!route || !operation) return [`${exchange.method} ${path} is not a documented operation`];

    const label = `${exchange.method.toUpperCase()} ${route.template} ${exchange.status}`;
    const documented = operation.responses[String(exchange.status)] ?? operation.responses.default;
    if (!documented) return [`${label}: status is not documented`];
    this.exercised.add(label);

    const response = this.resolve<ResponseObject>(documented);
    const isSuccess = exchange.status >= 200 && exchange.status < 300;
    return [
      ...(isSuccess ? this.checkRequestBody(operation, exchange.requestBody) : []),
      ...this.checkHeaders(response, exchange.headers),
      ...this.checkBody(response, exchange),
    ].map((problem) => `${label}: ${problem}`);
  }

  /** Validates a value against one of the document's component schemas. */
  checkComponent(schemaName: string, value: unknown): string[] {
    let reference = this.componentReferences.get(schemaName);
    if (!reference) {
      reference = { $ref: `${COMPONENTS_ID}#/$defs/${schemaName}` };
      this.componentReferences.set(schemaName, reference);
    }
    return this.validate(reference, value, 'body');
  }

  /** "METHOD /template status" for every documented response no checked exchange has produced. */
  unexercisedResponses(): string[] {
    return this.routes.flatMap((route) =>
      [...route.operations].flatMap(([method, operation]) =>
        Object.keys(operation.responses)
          .map((status) => `${method.toUpperCase()} ${route.template} ${status}`)
          .filter((label) => !this.exercised.has(label)),
      ),
    );
  }

  private checkRequestBody(operation: Operation, requestBody: unknown): string[] {
    if (requestBody === undefined) return [];
    const schema = operation.requestBody && this.resolve(operation.requestBody).content?.['application/json']?.schema;
    if (!schema) return ['a request body was accepted but none is documented'];
    return this.validate(schema, requestBody, 'request body');
  }

  private checkHeaders(response: ResponseObject, headers: Headers): string[] {
    return Object.entries(response.headers ?? {}).flatMap(([name, reference]) => {
      const header = this.resolve<Header>(reference);
      const value = headers.get(name);
      if (value === null) return header.required ? [`required header ${name} is missing`] : [];
      if (!header.schema) return [];
      return this.validate(header.schema, coerceHeaderValue(header.schema, value), `header ${name}`);
    });
  }

  private checkBody(response: ResponseObject, exchange: HttpExchange): string[] {
    const content = response.content;
    if (!content) return exchange.bodyText === '' ? [] : ['a body was sent but none is documented'];

    const mediaType = (exchange.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const documented = content[mediaType];
    if (!documented) return [`content type "${mediaType}" is not one of ${Object.keys(content).join(', ')}`];
    if (!documented.schema) return [];

    let body: unknown;
    try {
      body = JSON.parse(exchange.bodyText);
    } catch {
      return ['body is not valid JSON'];
    }
    return this.validate(documented.schema, body, 'body');
  }

  private validate(schema: Schema, value: unknown, what: string): string[] {
    let validator = this.validators.get(schema);
    if (!validator) {
      validator = this.ajv.compile(pointRefsAtComponents(schema));
      this.validators.set(schema, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map((error) => `${what}${error.instancePath} ${error.message ?? 'is invalid'}`);
  }

  /** Follows local references such as #/components/responses/NotFound. */
  private resolve<T>(value: T | Reference): T {
    if (!isReference(value)) return value;
    const target = value.$ref
      .replace(/^#\//, '')
      .split('/')
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], this.document);
    if (target === undefined) throw new Error(`unresolvable $ref ${value.$ref}`);
    return this.resolve(target as T | Reference);
  }
}

function toRoute(template: string, pathItem: Record<string, unknown>): Route {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const operations = new Map(
    Object.entries(pathItem)
      .filter(([key]) => HTTP_METHODS.includes(key))
      .map(([method, operation]) => [method, operation as Operation]),
  );
  return { template, pattern: new RegExp(`^${source}$`), operations };
}

function countParameters(template: string): number {
  return template.split('{').length - 1;
}

/** Rewrites #/components/schemas/X references so they resolve against the registered components. */
function pointRefsAtComponents<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`),
  ) as T;
}

/** Header values are always text; compare numeric ones as numbers. */
function coerceHeaderValue(schema: Schema, value: string): unknown {
  const isNumeric = schema.type === 'integer' || schema.type === 'number';
  return isNumeric && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
}

function isReference(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && typeof (value as Reference).$ref === 'string';
}
