import type { ExchangeContext } from '../model/exchange-context.js';
import type { HttpMessage } from '../model/http-message.js';
import type { UnmappedQueryPolicy } from '../model/mapping.js';
import type { CompiledCondition } from '../transform/condition.js';
import type { CompiledOp, CompiledResource } from '../transform/op.js';
import type { Template } from '../transform/template.js';
import type { ValuePath } from '../transform/path.js';
import type { CorsPolicy, RenderPolicy } from './http-policy.js';
import type { Route } from './route.js';
import type { UpstreamHeaderPolicy } from './upstream-header-policy.js';

/** A step list compiled for one direction, with where each step came from. */
export interface CompiledStep extends CompiledOp {
  pointer: string;
  note?: string;
  /** The step runs only when this holds (`when:` beside the op). */
  when?: CompiledCondition;
}

export interface CompiledErrorRule {
  pointer: string;
  description?: string;
  /** Whether the rule applies to this non-2xx response in this exchange. */
  applies(message: HttpMessage, context?: ExchangeContext): boolean;
  condition: string;
  /** References its condition reads. */
  conditionReads: string[];
  steps: CompiledStep[];
}

export interface CompiledMerge {
  from: ValuePath;
  to: ValuePath;
  /** `context.item` is the list element of a `forEach` call; `to: item.x` writes into it. */
  apply(callResponse: unknown, mainResponse: unknown, context?: ExchangeContext): unknown;
}

/** Puts each child of a call's response under its parent in the main response, by matching keys. */
export interface CompiledJoin {
  description: string;
  apply(callResponses: readonly unknown[], main: unknown): void;
}

export interface CompiledCall {
  id: string;
  description?: string;
  route: Route;
  /** True when the call waits for the main response (it reads `main.…`, or says `after: [main]`). */
  afterMain: boolean;
  /** Calls (and `main`) whose responses this call needs first. */
  after: string[];
  /** The call is made only when this holds (read with the v2 request as the message). */
  when?: CompiledCondition;
  /** One call per element of this list (`item.…` in templates is the element). */
  forEach?: { text: string; read: (message: unknown, context: ExchangeContext) => unknown; fromRequest: boolean; concurrency: number; max: number };
  optional: boolean;
  params: Array<[string, Template]>;
  query: Array<[string, Template]>;
  body?: Template;
  response: CompiledStep[];
  merges: CompiledMerge[];
  joins: CompiledJoin[];
  /** Every reference its templates, condition and list read. */
  reads: string[];
  pointer: string;
}

/**
 * `handler: ./module.ts#name`: plain code that makes the endpoint's v2 calls itself (a cascade
 * v2 no longer does, a check before a create). It gets the translated v2 request and returns
 * the v2 response the response steps then translate.
 */
export type ExchangeHandler = (v2Request: HttpMessage, context: HandlerContext) => Promise<HttpMessage>;

export interface HandlerContext {
  endpoint: string;
  request: ExchangeContext['request'];
  /** Sends one v2 request through the gateway's pool, deadline and metrics; bounded in count. */
  send(request: HttpMessage): Promise<HttpMessage>;
}

export interface CompiledEndpoint {
  id: string;
  description?: string;
  pointer: string;
  v1: Route;
  /** Route variants: the endpoint serves its v1 route only when this holds for the v1 request. */
  when?: CompiledCondition;
  v2?: Route;
  removed?: { status: number; replacement?: string; message: string };
  unmappedQuery: UnmappedQueryPolicy;
  /** Query keys that request steps or later stages read; the rest are "unmapped". */
  mappedQuery: ReadonlySet<string>;
  /** Query keys only later stages read (`request.query.x`): implemented by the gateway, never sent to v2. */
  consumedQuery: ReadonlySet<string>;
  request: CompiledStep[];
  response: CompiledStep[];
  errors: CompiledErrorRule[];
  calls: CompiledCall[];
  handler?: { reference: string; run: ExchangeHandler; maxCalls: number };
  /** How the v1 answer's bytes are written (the mapping's `render:`, overridden per endpoint). */
  render: RenderPolicy;
  /** Which of the client's headers reach v2 (the mapping's `upstreamHeaders:`, overridden per endpoint). */
  upstreamHeaders: UpstreamHeaderPolicy;
  /** True when something after the request steps reads `request.body`: the v1 body is kept. */
  keepsRequestBody: boolean;
  /** False when no request step touches the body: the gateway may stream it through. */
  readsRequestBody: boolean;
  /** False when no success-path step touches the body: 2xx bodies may stream through. */
  readsResponseBody: boolean;
}

export interface Lifecycle {
  deprecation?: Date;
  sunset?: Date;
  guide?: string;
}

export interface CompiledTable {
  name: string;
  description?: string;
  upstream: string;
  legacy?: string;
  lifecycle: Lifecycle;
  resources: ReadonlyMap<string, CompiledResource>;
  endpoints: CompiledEndpoint[];
  errors: CompiledErrorRule[];
  /** `problem` (RFC 9457, the default) or `v1`: the gateway's own failures go through the error rules. */
  gatewayErrors: 'problem' | 'v1';
  /** The public base URL of the v1 API, for `request.url` (Link headers); else the client's Host. */
  publicUrl?: string;
  /** Defaults for every endpoint's `render`. */
  render: RenderPolicy;
  /** v1's CORS policy, answered by the gateway whatever v2's is. */
  cors?: CorsPolicy;
}
