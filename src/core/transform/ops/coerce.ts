import { TransformError } from '../../errors.js';
import { SCALAR_TYPES, converterFor, type Converter, type ScalarType } from '../convert.js';
import type { CompileContext, OpSpec } from '../op.js';
import { readField, readMismatchPolicy } from '../op-args.js';
import { updateEach } from '../path.js';

export const coerce: OpSpec = {
  id: 'coerce',
  summary: 'Changes a value\'s type between versions, e.g. integer ids in v1 that are strings in v2. A value that cannot take the type fails the message, or with `onMismatch: keep` passes unchanged.',
  example: 'coerce: { field: id, v1: integer, v2: string }',
  levels: ['resource', 'step'],
  compile(args: unknown, context: CompileContext) {
    const { record, field } = readField(args, context);
    const v1 = record.v1 as ScalarType;
    const v2 = record.v2 as ScalarType;
    if (!SCALAR_TYPES.includes(v1) || !SCALAR_TYPES.includes(v2)) context.fail(`"v1" and "v2" must each be one of ${SCALAR_TYPES.join(', ')}`);
    const path = context.parsePath(field);
    const onMismatch = readMismatchPolicy(record, 'fail', context);
    const toV2 = converterFor(v2);
    const toV1 = converterFor(v1);
    const [toward, back] = context.direction === 'to-v2' ? [toV2, toV1] : [toV1, toV2];
    const forward = onMismatch === 'keep' ? keepingMismatches(toward, field) : (value: unknown) => toward(value, field);
    const backward = onMismatch === 'keep' ? keepingMismatches(back, field) : (value: unknown) => back(value, field);
    const kept =
      onMismatch === 'keep'
        ? ` A value that cannot take the other version's type passes unchanged, both ways; one of neither type may come back converted (\`true\` → \`"true"\`).`
        : '';
    return {
      op: 'coerce',
      description: `\`${field}\` is ${article(v1)} ${v1} in v1 and ${article(v2)} ${v2} in v2.${kept}`,
      apply: (root) => updateEach(root, path, forward),
      undo: (root) => updateEach(root, path, backward),
      edit: { kind: 'update', path, update: forward },
      undoEdit: { kind: 'update', path, update: backward },
      // A number such as 1.5 coerced to integer is rejected, never rounded. Kept values of the other
      // version's type come back as they went, but a value of neither type can be converted on
      // one way only (a boolean coerced to string, then kept because "true" is no integer).
      lossy: onMismatch === 'keep',
      reads: [field],
      writes: [field],
    };
  },
};

/** `onMismatch: keep`: a value the conversion rejects passes as it is instead of failing the message. */
function keepingMismatches(convert: Converter, field: string): (value: unknown) => unknown {
  return (value) => {
    try {
      return convert(value, field);
    } catch (error) {
      if (error instanceof TransformError) return value;
      throw error;
    }
  };
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
