/**
 * A mapping file as written (after YAML parsing, `${ENV}` substitution and schema validation).
 * schemas/mapping.schema.json is the contract for this shape; keep the two in step.
 */
export type UnmappedQueryPolicy = 'pass' | 'drop' | 'reject';

/** One op: `{ move: { from, to } }`, optionally with a `description` for the guide. */
export type StepDocument = Record<string, unknown>;

export interface LifecycleDocument {
  deprecation?: string;
  sunset?: string;
  guide?: string;
}

export interface ErrorRuleDocument {
  when: { status: number | string };
  description?: string;
  response: StepDocument[];
}

export interface CallDocument {
  id: string;
  description?: string;
  v2: string;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  optional?: boolean;
  /** Steps on this call's own response before merging (v2 to v1 direction). */
  response?: StepDocument[];
  /** `{ from: <path in this call's response>, to: <path in the main response> }` */
  merge: Array<{ from: string; to: string; as?: string }>;
}

export interface RemovedDocument {
  status?: number;
  replacement?: string;
  message?: string;
}

export interface EndpointDocument {
  id: string;
  description?: string;
  v1: string;
  v2?: string;
  unmappedQuery?: UnmappedQueryPolicy;
  request?: StepDocument[];
  response?: StepDocument[];
  errors?: ErrorRuleDocument[];
  calls?: CallDocument[];
  removed?: RemovedDocument;
}

export interface MappingDocument {
  $schema?: string;
  name: string;
  description?: string;
  upstream: string;
  legacy?: string;
  lifecycle?: LifecycleDocument;
  defaults?: { unmappedQuery?: UnmappedQueryPolicy };
  resources?: Record<string, StepDocument[]>;
  endpoints: EndpointDocument[];
  errors?: ErrorRuleDocument[];
}
