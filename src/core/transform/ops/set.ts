import type { ExchangeContext } from '../../model/exchange-context.js';
import type { CompileContext, CompiledOp, OpSpec } from '../op.js';
import { requireRecord, requireString } from '../op-args.js';
import { collect, setValue, type ValuePath } from '../path.js';
import { compileTemplate, templateReferences, TemplateError, type Template } from '../template.js';

/** Writes a templated value at a path; `onlyWhenMissing` makes it a default. */
export function compileAssignment(opId: 'set' | 'default', args: unknown, context: CompileContext): CompiledOp {
  const record = requireRecord(args, context);
  const pathText = requireString(record, 'path', context);
  if (!('value' in record)) context.fail('needs "value" (any JSON value; strings may contain ${path} placeholders)');
  const path = context.parsePath(pathText);
  let template: Template;
  try {
    template = compileTemplate(record.value);
  } catch (error) {
    context.fail(error instanceof TemplateError || error instanceof Error ? error.message : String(error));
  }
  const onlyWhenMissing = opId === 'default';
  const parent: ValuePath = { ...path, segments: path.segments.slice(0, -1) };
  const apply = (root: unknown, context?: ExchangeContext) => {
    const value = path.wildcards > 0 ? undefined : template(root, context);
    if (path.wildcards === 0) {
      if (onlyWhenMissing && collect(root, path).length > 0) return root;
      return setValue(root, path, structuredCloneIfObject(value));
    }
    // With [] the value is written into every element the parent reaches.
    for (const { value: element, indices } of collect(root, parent)) {
      // Only objects (and arrays) receive the value: a null or a number is not turned into an object.
      if (element === null || typeof element !== 'object') continue;
      const elementPath = { ...path };
      const existing = collect(root, elementPath).some((entry) => sameIndices(entry.indices, indices));
      if (onlyWhenMissing && existing) continue;
      root = setValue(root, path, structuredCloneIfObject(template(root, context)), indices);
    }
    return root;
  };
  return {
    op: opId,
    description: onlyWhenMissing
      ? `\`${pathText}\` defaults to ${JSON.stringify(record.value)} when absent.`
      : `\`${pathText}\` is set to ${JSON.stringify(record.value)}.`,
    apply,
    lossy: false,
    reads: templateReferences(record.value),
    writes: [pathText],
  };
}

function sameIndices(a: number[], b: number[]): boolean {
  return a.length >= b.length && b.every((value, i) => a[i] === value);
}

function structuredCloneIfObject(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

export const set: OpSpec = {
  id: 'set',
  summary: 'Writes a value (strings may embed ${path|filter} placeholders read from the message).',
  example: 'set: { path: body.error.code, value: "${body.type|last-segment|snake}" }',
  levels: ['step'],
  compile: (args, context) => compileAssignment('set', args, context),
};

export const defaultValue: OpSpec = {
  id: 'default',
  summary: 'Writes a value only where none is present.',
  example: 'default: { path: body.related_ids, value: [] }',
  levels: ['step'],
  compile: (args, context) => compileAssignment('default', args, context),
};
