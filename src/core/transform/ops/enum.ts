import type { CompileContext, OpSpec } from '../op.js';
import { readField } from '../op-args.js';
import { isRecord, updateEach } from '../path.js';

type Scalar = string | number | boolean;

export const enumMap: OpSpec = {
  id: 'enum',
  summary: 'Maps enumeration values (v1 value: v2 value, one-to-one); values not listed pass unchanged. When every v1 key is a number (or true/false) the v1 values are matched as numbers (booleans).',
  example: 'enum: { field: status, map: { pending: PENDING, done: COMPLETED } }',
  levels: ['resource', 'step'],
  compile(args: unknown, context: CompileContext) {
    const { record, field } = readField(args, context);
    const map = record.map;
    if (!isRecord(map) || Object.keys(map).length === 0) context.fail('needs "map": { v1value: v2value, ... }');
    const toV2 = new Map<Scalar, Scalar>();
    const toV1 = new Map<Scalar, Scalar>();
    const v1KeyOf = typedKeys(Object.keys(map));
    for (const [key, v2] of Object.entries(map)) {
      const v1 = v1KeyOf(key);
      if (!['string', 'number', 'boolean'].includes(typeof v2)) context.fail(`the v2 value for "${v1}" must be a string, number or boolean`);
      if (toV1.has(v2 as Scalar)) {
        context.fail(`"${String(v2)}" is the v2 value of both "${String(toV1.get(v2 as Scalar))}" and "${v1}"; the map must be one-to-one so responses can be mapped back`);
      }
      toV2.set(v1, v2 as Scalar);
      toV1.set(v2 as Scalar, v1);
    }
    const path = context.parsePath(field);
    const forward = context.direction === 'to-v2' ? toV2 : toV1;
    const backward = context.direction === 'to-v2' ? toV1 : toV2;
    const remap = (table: Map<Scalar, Scalar>) => (value: unknown) => (table.has(value as Scalar) ? table.get(value as Scalar) : value);
    const [forwardValue, backwardValue] = [remap(forward), remap(backward)];
    const pairs = [...toV2].map(([v1, v2]) => `\`${String(v1)}\` → \`${String(v2)}\``).join(', ');
    return {
      op: 'enum',
      description: `\`${field}\` values changed (v1 → v2): ${pairs}.`,
      apply: (root) => updateEach(root, path, forwardValue),
      undo: (root) => updateEach(root, path, backwardValue),
      edit: { kind: 'update', path, update: forwardValue },
      undoEdit: { kind: 'update', path, update: backwardValue },
      lossy: false,
      reads: [field],
      writes: [field],
    };
  },
};

/**
 * YAML map keys are always strings, so `{ 1: LOW, 2: HIGH }` would never match the number 2.
 * When every key reads as a number (or every key is true/false) the v1 values are taken to be
 * numbers (booleans); a mixed map stays textual.
 */
function typedKeys(keys: string[]): (key: string) => Scalar {
  if (keys.every((key) => key.trim() !== '' && Number.isFinite(Number(key)))) return Number;
  if (keys.every((key) => key === 'true' || key === 'false')) return (key) => key === 'true';
  return (key) => key;
}
