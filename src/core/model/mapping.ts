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

/** A `when:` condition as written (see src/core/transform/condition.ts for its grammar). */
export type ConditionDocument = Record<string, unknown>;

export interface ErrorRuleDocument {
  when: ConditionDocument & { status?: number | string };
  description?: string;
  response: StepDocument[];
}

export interface CallDocument {
  id: string;
  description?: string;
  v2: string;
  /** The call is made only when this holds. */
  when?: ConditionDocument;
  /** Calls (or `main`) whose responses this one needs first. */
  after?: string[];
  /** One call per element of this list; `${item.…}` in templates is the element. */
  forEach?: string;
  /** With forEach: calls in flight at once (default 4). */
  concurrency?: number;
  /** With forEach: the most calls one request may cause (default 100). */
  max?: number;
  /** Children of this call's response put under their parents in the main response. */
  join?: unknown;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  optional?: boolean;
  /** Steps on this call's own response before merging (v2 to v1 direction). */
  response?: StepDocument[];
  /** `{ from: <path in this call's response>, to: <path in the main response> }` */
  merge?: Array<{ from: string; to: string; as?: string }>;
}

export interface RemovedDocument {
  status?: number;
  replacement?: string;
  message?: string;
}

/** The rollout mode of one endpoint: `translate` (default), `legacy`, `shadow`, or a split. */
export type ModeDocument = 'translate' | 'legacy' | 'shadow' | { split: string; sticky?: string };

export interface EndpointDocument {
  id: string;
  description?: string;
  v1: string;
  /** Route variants: this endpoint serves its v1 route only when the condition holds. */
  when?: ConditionDocument;
  v2?: string;
  unmappedQuery?: UnmappedQueryPolicy;
  mode?: ModeDocument;
  /** Calling both legacy and v2 is harmless although the method is not safe (shadow mode). */
  shadowSafe?: boolean;
  request?: StepDocument[];
  response?: StepDocument[];
  errors?: ErrorRuleDocument[];
  calls?: CallDocument[];
  /** How the v1 answer's bytes are written (src/core/mapping/http-policy.ts). */
  render?: unknown;
  /** Which client headers reach v2, over the mapping's (src/core/mapping/upstream-header-policy.ts). */
  upstreamHeaders?: unknown;
  /** Pagination conversion, both ways (src/core/transform/paging.ts). */
  paging?: unknown;
  /** `./module.ts#name`: code that makes the endpoint's v2 calls itself. */
  handler?: string;
  /** With a handler: the most v2 calls it may make for one request (default 10). */
  maxCalls?: number;
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
  /** `v1`: the gateway's own failures are rendered through `errors` too. */
  gatewayErrors?: 'problem' | 'v1';
  /** The v1 API's public base URL (`https://api.example.com`), for `request.url`. */
  publicUrl?: string;
  render?: unknown;
  cors?: unknown;
  /** Which client headers reach v2: `{ allow, deny }`; credentials only when allowed by name. */
  upstreamHeaders?: unknown;
}
