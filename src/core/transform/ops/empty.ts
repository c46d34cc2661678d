import type { CompileContext, OpSpec } from '../op.js';
import { readField } from '../op-args.js';
import { updateEach } from '../path.js';

type Empty = '' | null | readonly [];

/**
 * The "nothing here" value changed between versions: v1 wrote `""` where v2 writes `null` (or
 * `[]`). Only that value is exchanged, both ways; every other value passes.
 */
export const empty: OpSpec = {
  id: 'empty',
  summary: 'Exchanges the empty value of a field between versions (v1 "" is v2 null, say); other values pass.',
  example: 'empty: { field: description, v1: "", v2: null }',
  levels: ['resource', 'step'],
  compile(args: unknown, context: CompileContext) {
    const { record, field } = readField(args, context);
    const isEmptyValue = (value: unknown) => value === '' || value === null || (Array.isArray(value) && value.length === 0);
    if (!('v1' in record) || !('v2' in record) || !isEmptyValue(record.v1) || !isEmptyValue(record.v2)) {
      context.fail('needs "v1" and "v2": each one of "", null or [], e.g. { v1: "", v2: null }');
    }
    const v1 = record.v1 as Empty;
    const v2 = record.v2 as Empty;
    const same = (value: unknown, target: Empty) => (Array.isArray(target) ? Array.isArray(value) && value.length === 0 : value === target);
    const swap = (from: Empty, to: Empty) => (value: unknown) => (same(value, from) ? (Array.isArray(to) ? [] : to) : value);
    const path = context.parsePath(field);
    const forward = context.direction === 'to-v2' ? swap(v1, v2) : swap(v2, v1);
    const backward = context.direction === 'to-v2' ? swap(v2, v1) : swap(v1, v2);
    return {
      op: 'empty',
      description: `An empty \`${field}\` is ${JSON.stringify(v1)} in v1 and ${JSON.stringify(v2)} in v2.`,
      apply: (root) => updateEach(root, path, forward),
      undo: (root) => updateEach(root, path, backward),
      edit: { kind: 'update', path, update: forward },
      undoEdit: { kind: 'update', path, update: backward },
      lossy: false,
      reads: [field],
      writes: [field],
    };
  },
};
