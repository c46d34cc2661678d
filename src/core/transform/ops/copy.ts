import { CONVERSIONS, converterFor, type Conversion } from '../convert.js';
import type { CompileContext, OpSpec } from '../op.js';
import { readEnds } from '../op-args.js';
import { removeCopy, transfer } from '../transfer.js';

export const copy: OpSpec = {
  id: 'copy',
  summary: 'Copies a value to a second place, keeping the original (e.g. a header value into the body).',
  example: 'copy: { from: headers.x-request-id, to: body.request_id }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const { from, to } = readEnds(args, context);
    const as = (args as { as?: unknown }).as;
    if (as !== undefined && !CONVERSIONS.includes(as as Conversion)) context.fail(`"as" must be one of ${CONVERSIONS.join(', ')}`);
    const fromPath = context.parsePath(from);
    const toPath = context.parsePath(to);
    if (fromPath.wildcards !== toPath.wildcards) context.fail(`"${from}" and "${to}" must have the same number of []`);
    const convert = as ? converterFor(as as Conversion) : undefined;
    return {
      op: 'copy',
      description: `\`${to}\` carries a copy of \`${from}\`.`,
      apply: (root) => transfer(root, fromPath, toPath, { convert, keepSource: true }),
      undo: (root) => {
        removeCopy(root, fromPath, toPath);
        return root;
      },
      lossy: false,
      reads: [from],
      writes: [to],
    };
  },
};
