import type { Schema, SpecDocument, SpecOperation, SpecParameter, SpecResponse } from './model.js';

/**
 * The spec-diff rule contract, in the manner of oasdiff's checkers: one rule per file under
 * rules/, with a stable kebab-case id, a level and one sentence, looking at one kind of site the
 * diff engine visits. A rule only reports; pairing operations, parameters, properties and
 * variants is the engine's job (diff.ts).
 *
 * Levels: `error` breaks a client that follows v1, `warn` may break one, `info` does not.
 */
export type Level = 'error' | 'warn' | 'info';
export const LEVELS: readonly Level[] = ['error', 'warn', 'info'];

export interface FindingDraft {
  message: string;
  /** Where in a v1 message (`body.items[].id`, `query.limit`, `headers.etag`, `status`). */
  v1Path?: string;
  /** Where in a v2 message. */
  v2Path?: string;
  /** Sets two findings of one rule at one place apart (an enum value, a media type). */
  detail?: string;
  /** For document-level rules: the operation the finding is about, when not the visited pair's. */
  operation?: SpecOperation;
  side?: 'v1' | 'v2';
}

export interface OperationPair {
  v1: SpecOperation;
  v2: SpecOperation;
  pairedBy: 'route' | 'operationId' | 'mapping';
}

export interface DocumentSite {
  v1: SpecDocument;
  v2: SpecDocument;
  unpairedV1: SpecOperation[];
  unpairedV2: SpecOperation[];
}

/** Parameters paired by location and name, then by name alone (a move), path ones by position. */
export interface ParameterPair {
  v1?: SpecParameter;
  v2?: SpecParameter;
}

export interface SchemaSite {
  v1: Schema;
  v2: Schema;
  v1Path: string;
  v2Path: string;
  /** Parameters and headers travel as text: any value is a valid string on the wire. */
  onTheWire: boolean;
}

export interface PropertySite {
  /** Absent: the property is new in v2. */
  v1Name?: string;
  /** Absent: the property is gone in v2. */
  v2Name?: string;
  v1?: Schema;
  v2?: Schema;
  v1Required: boolean;
  v2Required: boolean;
  v1Path: string;
  v2Path: string;
}

export interface VariantSite {
  keyword: 'oneOf' | 'anyOf';
  /** v1 alternatives no v2 alternative matches. */
  removed: Schema[];
  /** v2 alternatives no v1 alternative matches. */
  added: Schema[];
  v1Path: string;
  v2Path: string;
}

export interface ResponsePair {
  v1Status: string;
  v2Status: string;
  v1: SpecResponse;
  v2: SpecResponse;
}

interface RuleBase {
  id: string;
  level: Level;
  description: string;
}

export type Rule = RuleBase &
  (
    | { site: 'document'; check(site: DocumentSite): FindingDraft[] }
    | { site: 'operation'; check(pair: OperationPair): FindingDraft[] }
    | { site: 'parameter'; check(pair: ParameterPair): FindingDraft[] }
    | { site: 'request-schema' | 'response-schema'; check(site: SchemaSite): FindingDraft[] }
    | { site: 'request-property' | 'response-property'; check(site: PropertySite): FindingDraft[] }
    | { site: 'request-variants' | 'response-variants'; check(site: VariantSite): FindingDraft[] }
    | { site: 'response'; check(pair: ResponsePair): FindingDraft[] }
  );

export type RuleSite = Rule['site'];

/** `code` in findings' sentences. */
export function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

export function describeSchema(schema: Schema | undefined): string {
  if (!schema) return 'nothing';
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  const type = Array.isArray(schema.type) ? schema.type.join('|') : typeof schema.type === 'string' ? schema.type : 'any';
  return title ? `${title} (${type})` : type;
}
