import type { ExchangeContext } from '../model/exchange-context.js';
import type { FunctionResolver } from '../ports.js';
import type { CompiledPaging } from './paging.js';
import type { ValuePath } from './path.js';

/**
 * `to-v2`: a v1 request becoming a v2 request (and resource rules read as written).
 * `to-v1`: a v2 response becoming a v1 response.
 */
export type Direction = 'to-v2' | 'to-v1';

/** Resource rules address fields inside one resource; steps address a whole HTTP message. */
export type OpLevel = 'resource' | 'step';

export interface CompiledResource {
  name: string;
  toV2(value: unknown): unknown;
  toV1(value: unknown): unknown;
  rules: readonly CompiledOp[];
}

export interface CompileContext {
  level: OpLevel;
  direction: Direction;
  /** Field paths at resource level, message paths in steps. */
  parsePath(text: string): ValuePath;
  resolveFunction: FunctionResolver;
  resources: ReadonlyMap<string, CompiledResource>;
  endpointId: string;
  /** The endpoint's `paging:` block, for the `paginate` step; `invalid` when it is reported already. */
  paging?: CompiledPaging | 'invalid';
  /** Rejects the op's arguments with a sentence saying how to fix them. Never returns. */
  fail(message: string): never;
}

export interface CompiledOp {
  op: string;
  /** One plain sentence; migration guides are built from these. */
  description: string;
  /**
   * Transforms the document in the list's direction; may mutate it; returns the new root. The
   * context (the v1 request, earlier responses) is read-only and absent for resource rules.
   */
  apply(root: unknown, context?: ExchangeContext): unknown;
  /** The exact inverse of apply, where one exists. */
  undo?: (root: unknown) => unknown;
  /** True when apply then undo does not give back every input (e.g. a scale that rounds). */
  lossy: boolean;
  /** Paths of the input document the op reads, and paths of the output it writes. */
  reads: string[];
  writes: string[];
  /**
   * What `apply` and `undo` do, as plain field edits, for ops that are one (moves, renames,
   * envelopes, value conversions). Resource rules made only of these compile into one plan per
   * object shape (resource-plan.ts) instead of running op by op.
   */
  edit?: FieldEdit;
  undoEdit?: FieldEdit;
}

/**
 * `relocate`: the value at `from` (if any) moves to `to`, as `transfer` does, converted on the way.
 * `update`: every value `path` reaches is replaced by `update(value)`, as `updateEach` does.
 */
export type FieldEdit =
  | { kind: 'relocate'; from: ValuePath; to: ValuePath; convert?: (value: unknown, where: string) => unknown }
  | { kind: 'update'; path: ValuePath; update: (value: unknown) => unknown };

export interface OpSpec {
  id: string;
  /** One line for the README and `--help`. */
  summary: string;
  /** A YAML example, as written in a step list or a resource rule list. */
  example: string;
  levels: readonly OpLevel[];
  compile(args: unknown, context: CompileContext): CompiledOp;
}
