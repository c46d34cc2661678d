import type { CompileContext } from './op.js';
import { isRecord } from './path.js';

/**
 * Reads the two ends of a field change. Resource rules name them by version
 * (`{ v1: content, v2: body }`, read v1 -> v2); steps name them by flow (`{ from, to }`).
 */
export function readEnds(args: unknown, context: CompileContext): { from: string; to: string } {
  const record = requireRecord(args, context);
  const [fromKey, toKey] = context.level === 'resource' ? ['v1', 'v2'] : ['from', 'to'];
  const from = record[fromKey];
  const to = record[toKey];
  if (typeof from !== 'string' || typeof to !== 'string') {
    context.fail(`needs "${fromKey}" and "${toKey}" paths, e.g. { ${fromKey}: a.b, ${toKey}: c }`);
  }
  return { from, to };
}

export function requireRecord(args: unknown, context: CompileContext): Record<string, unknown> {
  if (!isRecord(args)) context.fail('expects an object of arguments');
  return args;
}

export function requireString(record: Record<string, unknown>, key: string, context: CompileContext): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '') context.fail(`needs "${key}" (a string)`);
  return value;
}

/** The field an op acts on: `field` in resource rules and steps alike. */
export function readField(args: unknown, context: CompileContext): { record: Record<string, unknown>; field: string } {
  const record = requireRecord(args, context);
  return { record, field: requireString(record, 'field', context) };
}

/** What a conversion does with a value that does not fit it: fail the message, or pass it unchanged. */
export type MismatchPolicy = 'fail' | 'keep';

/** Reads `onMismatch: fail | keep`; the same policy holds in both directions. */
export function readMismatchPolicy(record: Record<string, unknown>, fallback: MismatchPolicy, context: CompileContext): MismatchPolicy {
  const value = record.onMismatch;
  if (value === undefined) return fallback;
  if (value !== 'fail' && value !== 'keep') context.fail(`"onMismatch" must be fail (reject the message) or keep (pass the value unchanged), got ${JSON.stringify(value)}`);
  return value;
}
