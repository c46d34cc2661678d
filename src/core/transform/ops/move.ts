import { CONVERSIONS, converterFor, inverseConverterFor, type Conversion } from '../convert.js';
import type { CompileContext, CompiledOp, OpSpec } from '../op.js';
import { readEnds } from '../op-args.js';
import { transfer } from '../transfer.js';

/** Shared by move and rename: both relocate a value, rename only within one parent. */
export function compileRelocation(opId: string, args: unknown, context: CompileContext, description: (from: string, to: string, as?: string) => string): CompiledOp {
  const { from, to } = readEnds(args, context);
  const as = (args as { as?: unknown }).as;
  if (as !== undefined && !CONVERSIONS.includes(as as Conversion)) {
    context.fail(`"as" must be one of ${CONVERSIONS.join(', ')}`);
  }
  const fromPath = context.parsePath(from);
  const toPath = context.parsePath(to);
  if (fromPath.wildcards !== toPath.wildcards) {
    context.fail(`"${from}" has ${fromPath.wildcards} [] but "${to}" has ${toPath.wildcards}; each [] of the source needs a [] in the target`);
  }
  const convert = as ? converterFor(as as Conversion) : undefined;
  const back = as ? inverseConverterFor(as as Conversion) : undefined;
  return {
    op: opId,
    description: description(from, to, as as string | undefined),
    apply: (root) => transfer(root, fromPath, toPath, { convert }),
    undo: (root) => transfer(root, toPath, fromPath, { convert: back }),
    edit: { kind: 'relocate', from: fromPath, to: toPath, convert },
    undoEdit: { kind: 'relocate', from: toPath, to: fromPath, convert: back },
    lossy: false,
    reads: [from],
    writes: [to],
  };
}

export const move: OpSpec = {
  id: 'move',
  summary: 'Moves a value to another place: nest, promote, or between path, query, headers and body (`as:` converts the type).',
  example: 'move: { from: query.limit, to: body.limit, as: integer }',
  levels: ['resource', 'step'],
  compile: (args, context) =>
    compileRelocation('move', args, context, (from, to, as) => `\`${from}\` moved to \`${to}\`${as ? ` (as ${as})` : ''}.`),
};
