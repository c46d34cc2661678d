import { SCALAR_TYPES, converterFor, type ScalarType } from '../convert.js';
import type { CompileContext, OpSpec } from '../op.js';
import { readField } from '../op-args.js';
import { updateEach } from '../path.js';

export const coerce: OpSpec = {
  id: 'coerce',
  summary: 'Changes a value\'s type between versions, e.g. integer ids in v1 that are strings in v2.',
  example: 'coerce: { field: id, v1: integer, v2: string }',
  levels: ['resource', 'step'],
  compile(args: unknown, context: CompileContext) {
    const { record, field } = readField(args, context);
    const v1 = record.v1 as ScalarType;
    const v2 = record.v2 as ScalarType;
    if (!SCALAR_TYPES.includes(v1) || !SCALAR_TYPES.includes(v2)) context.fail(`"v1" and "v2" must each be one of ${SCALAR_TYPES.join(', ')}`);
    const path = context.parsePath(field);
    const toV2 = converterFor(v2);
    const toV1 = converterFor(v1);
    const [toward, back] = context.direction === 'to-v2' ? [toV2, toV1] : [toV1, toV2];
    const forward = (value: unknown) => toward(value, field);
    const backward = (value: unknown) => back(value, field);
    return {
      op: 'coerce',
      description: `\`${field}\` is ${article(v1)} ${v1} in v1 and ${article(v2)} ${v2} in v2.`,
      apply: (root) => updateEach(root, path, forward),
      undo: (root) => updateEach(root, path, backward),
      edit: { kind: 'update', path, update: forward },
      undoEdit: { kind: 'update', path, update: backward },
      // A number such as 1.5 coerced to integer would be rejected, never rounded.
      lossy: false,
      reads: [field],
      writes: [field],
    };
  },
};

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
