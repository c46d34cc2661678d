import type { CompileContext, OpSpec } from '../op.js';
import { readEnds } from '../op-args.js';
import { compileRelocation } from './move.js';

function parentOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

export const rename: OpSpec = {
  id: 'rename',
  summary: 'Renames a field in place (same parent object).',
  example: 'rename: { v1: content, v2: body }',
  levels: ['resource', 'step'],
  compile(args: unknown, context: CompileContext) {
    const { from, to } = readEnds(args, context);
    if (parentOf(from) !== parentOf(to)) {
      context.fail(`"${from}" and "${to}" have different parents; use move to change where a field lives`);
    }
    return compileRelocation('rename', args, context, (a, b) => `\`${a}\` is now called \`${b}\`.`);
  },
};
