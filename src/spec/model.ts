/**
 * One OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1) reduced to what the spec diff, mapping
 * coverage, verification and the draft mapping need, the same shape for every version. Schemas are
 * dereferenced JSON Schema objects; circular `$ref`s become cycles in the object graph, so every
 * walker over them keeps a visited set.
 */
export type Schema = Record<string, unknown>;

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface SpecParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: Schema;
  deprecated: boolean;
}

export interface SpecMedia {
  schema?: Schema;
}

export interface SpecHeader {
  required: boolean;
  schema: Schema;
}

export interface SpecResponse {
  /** Media type (lower case, parameters dropped) to its schema. */
  content: Record<string, SpecMedia>;
  /** Header name (lower case) to the header. */
  headers: Record<string, SpecHeader>;
}

export interface SpecRequestBody {
  required: boolean;
  content: Record<string, SpecMedia>;
}

export interface SpecOperation {
  /** Upper case: GET, POST... */
  method: string;
  /** The path template as the document writes it: /items/{id}. */
  path: string;
  operationId?: string;
  summary?: string;
  deprecated: boolean;
  parameters: SpecParameter[];
  requestBody?: SpecRequestBody;
  /** Status code ("200", "4XX", "default") to the response. */
  responses: Record<string, SpecResponse>;
  /**
   * Security alternatives: the operation is allowed when every scheme of one alternative is
   * satisfied. Each alternative lists `scheme` or `scheme:scope` entries, sorted. [] = no security.
   */
  security: string[][];
}

export interface SpecDocument {
  /** The file as the user named it. */
  file: string;
  /** "2.0", "3.0.3", "3.1.0"... */
  version: string;
  title: string;
  operations: SpecOperation[];
  /** Line and column of a JSON pointer in the file (for SARIF locations), when loaded from one. */
  locate?(pointer: string): { line: number; column: number };
}

/** The JSON pointer of an operation in its document: /paths/~1items~1{id}/get. */
export function operationPointer(operation: Pick<SpecOperation, 'method' | 'path'>): string {
  return `/paths/${operation.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${operation.method.toLowerCase()}`;
}

/** `GET /items/{}`: a route with parameter names erased, so renaming a path parameter is not a move. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

export function operationName(operation: Pick<SpecOperation, 'method' | 'path'>): string {
  return `${operation.method} ${operation.path}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
