import type { UnmappedQueryPolicy } from '../model/mapping.js';
import type { CompiledOp, CompiledResource } from '../transform/op.js';
import type { Template } from '../transform/template.js';
import type { ValuePath } from '../transform/path.js';
import type { Route } from './route.js';

/** A step list compiled for one direction, with where each step came from. */
export interface CompiledStep extends CompiledOp {
  pointer: string;
  note?: string;
}

export interface CompiledErrorRule {
  pointer: string;
  description?: string;
  matches(status: number): boolean;
  condition: string;
  steps: CompiledStep[];
}

export interface CompiledMerge {
  from: ValuePath;
  to: ValuePath;
  apply(callResponse: unknown, mainResponse: unknown): unknown;
}

export interface CompiledCall {
  id: string;
  description?: string;
  route: Route;
  /** True when a template reads `main.…`, so the call waits for the main response. */
  afterMain: boolean;
  optional: boolean;
  params: Array<[string, Template]>;
  query: Array<[string, Template]>;
  body?: Template;
  response: CompiledStep[];
  merges: CompiledMerge[];
  pointer: string;
}

export interface CompiledEndpoint {
  id: string;
  description?: string;
  pointer: string;
  v1: Route;
  v2?: Route;
  removed?: { status: number; replacement?: string; message: string };
  unmappedQuery: UnmappedQueryPolicy;
  /** Query keys that request steps read; the rest are "unmapped". */
  mappedQuery: ReadonlySet<string>;
  request: CompiledStep[];
  response: CompiledStep[];
  errors: CompiledErrorRule[];
  calls: CompiledCall[];
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
}
