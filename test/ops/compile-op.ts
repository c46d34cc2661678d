import { expect } from 'vitest';
import { TransformError } from '../../src/core/errors.js';
import type { StepDocument } from '../../src/core/model/mapping.js';
import type { FunctionResolver } from '../../src/core/ports.js';
import type { CompileContext, CompiledOp, CompiledResource, Direction, OpLevel } from '../../src/core/transform/op.js';
import { parseFieldPath, parseMessagePath } from '../../src/core/transform/path.js';
import { OPS } from '../../src/core/transform/registry.js';
import { compiledTable, mappingDocument } from '../core/mapping-builders.js';

/** What `context.fail` throws here, so a test can tell an argument error from any other failure. */
export class OpArgumentError extends Error {
  override name = 'OpArgumentError';
}

export interface CompileOptions {
  resources?: ReadonlyMap<string, CompiledResource>;
  resolveFunction?: FunctionResolver;
  endpointId?: string;
}

/**
 * Compiles one op from the registry the way compileMapping does: field paths at resource level,
 * message paths in steps, and the level must be one the op allows.
 */
export function compileOp(opId: string, args: unknown, level: OpLevel, direction: Direction, options: CompileOptions = {}): CompiledOp {
  const spec = OPS.get(opId);
  if (!spec) throw new Error(`"${opId}" is not in the op registry`);
  if (!spec.levels.includes(level)) throw new Error(`"${opId}" is not allowed at ${level} level`);
  const context: CompileContext = {
    level,
    direction,
    parsePath: level === 'resource' ? parseFieldPath : parseMessagePath,
    resolveFunction: options.resolveFunction ?? (() => undefined),
    resources: options.resources ?? new Map(),
    endpointId: options.endpointId ?? 'test-endpoint',
    fail: (message: string): never => {
      throw new OpArgumentError(message);
    },
  };
  return spec.compile(args, context);
}

/** A resource rule: apply reads v1 → v2 (requests), undo v2 → v1 (responses). */
export function resourceRule(opId: string, args: unknown, options?: CompileOptions): CompiledOp {
  return compileOp(opId, args, 'resource', 'to-v2', options);
}

/** A request step: v1 request → v2 request. */
export function requestStep(opId: string, args: unknown, options?: CompileOptions): CompiledOp {
  return compileOp(opId, args, 'step', 'to-v2', options);
}

/** A response or error step: v2 response → v1 response. */
export function responseStep(opId: string, args: unknown, options?: CompileOptions): CompiledOp {
  return compileOp(opId, args, 'step', 'to-v1', options);
}

/** The sentence an op gave through `context.fail`; fails the test when the op compiled. */
export function argumentError(compile: () => unknown): string {
  try {
    compile();
  } catch (error) {
    if (error instanceof OpArgumentError) return error.message;
    throw error;
  }
  throw new Error('expected the op to reject its arguments, but it compiled');
}

/** The TransformError a run throws; fails the test when it throws nothing or something else. */
export function transformError(run: () => unknown): TransformError {
  try {
    run();
  } catch (error) {
    if (error instanceof TransformError) return error;
    throw error;
  }
  throw new Error('expected a TransformError, but the op succeeded');
}

/** apply on a deep copy, so the input a test wrote stays as written. */
export function forward(op: CompiledOp, input: unknown): unknown {
  return op.apply(structuredClone(input));
}

/** undo on a deep copy. */
export function inverse(op: CompiledOp, input: unknown): unknown {
  if (!op.undo) throw new Error(`"${op.op}" has no inverse`);
  return op.undo(structuredClone(input));
}

export function roundTrip(op: CompiledOp, input: unknown): unknown {
  return inverse(op, forward(op, input));
}

/** The op changes nothing either way: no crash, and no stray keys (not even undefined ones). */
export function expectUntouched(op: CompiledOp, input: unknown): void {
  expect(forward(op, input)).toStrictEqual(input);
  if (op.undo) expect(inverse(op, input)).toStrictEqual(input);
}

/** Resources compiled by compileMapping itself, for the `resource` op and whole-resource checks. */
export function compileResources(resources: Record<string, StepDocument[]>): ReadonlyMap<string, CompiledResource> {
  return compiledTable(mappingDocument({ resources })).resources;
}
