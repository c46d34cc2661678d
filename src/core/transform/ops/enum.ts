import { TransformError } from '../../errors.js';
import { describeValue } from '../convert.js';
import type { CompileContext, OpSpec } from '../op.js';
import { readField, readMismatchPolicy } from '../op-args.js';
import { isRecord, updateEach } from '../path.js';

type Scalar = string | number | boolean;

export const enumMap: OpSpec = {
  id: 'enum',
  summary: 'Maps enumeration values (v1 value: v2 value, one-to-one); values not listed pass unchanged (`onMismatch: keep`, the default) or fail the message (`onMismatch: fail`). When every v1 key is a number (or true/false) the v1 values are matched as numbers (booleans).',
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
    // Unlisted values passing unchanged is how enum always behaved, so keep stays its default.
    const onMismatch = readMismatchPolicy(record, 'keep', context);
    const forward = context.direction === 'to-v2' ? toV2 : toV1;
    const backward = context.direction === 'to-v2' ? toV1 : toV2;
    const remap = (table: Map<Scalar, Scalar>, version: string) => {
      if (onMismatch === 'keep') return (value: unknown) => (table.has(value as Scalar) ? table.get(value as Scalar) : value);
      const listed = [...table.keys()].map(String).join(', ');
      return (value: unknown) => {
        // null is the absence of a value, never a mismatch (as for coerce).
        if (value === null) return value;
        if (table.has(value as Scalar)) return table.get(value as Scalar);
        throw new TransformError(`expected one of ${listed} (the ${version} values of the enum) at ${field}, got ${describeValue(value)}`, field);
      };
    };
    const [fromVersion, toVersion] = context.direction === 'to-v2' ? ['v1', 'v2'] : ['v2', 'v1'];
    const [forwardValue, backwardValue] = [remap(forward, fromVersion), remap(backward, toVersion)];
    const pairs = [...toV2].map(([v1, v2]) => `\`${String(v1)}\` → \`${String(v2)}\``).join(', ');
    // The collision only concerns values outside both versions' sets, which a valid message never
    // holds; the enum is lossy only when the mapping asks for such values to pass (onMismatch: keep).
    const collision = onMismatch === 'keep' && record.onMismatch === 'keep' ? firstCollision(toV2, toV1) : undefined;
    const unlisted =
      onMismatch === 'fail'
        ? ' Any other value fails the message.'
        : collision
          ? ` Other values pass unchanged, so an unlisted ${collision.version} \`${String(collision.value)}\` would come back as \`${String(collision.becomes)}\`.`
          : ' Other values pass unchanged.';
    return {
      op: 'enum',
      description: `\`${field}\` values changed (v1 → v2): ${pairs}.${unlisted}`,
      apply: (root) => updateEach(root, path, forwardValue),
      undo: (root) => updateEach(root, path, backwardValue),
      edit: { kind: 'update', path, update: forwardValue },
      undoEdit: { kind: 'update', path, update: backwardValue },
      lossy: collision !== undefined,
      reads: [field],
      writes: [field],
    };
  },
};

/**
 * With unlisted values passing unchanged, a round trip breaks exactly for an unlisted value that
 * is spelled like a listed value of the other version: v1 `PENDING` (unlisted) goes to v2 as
 * `PENDING` and comes back as `pending`. None exists when the v1 and v2 values are the same set.
 */
function firstCollision(toV2: Map<Scalar, Scalar>, toV1: Map<Scalar, Scalar>): { version: string; value: Scalar; becomes: Scalar } | undefined {
  for (const [v2, v1] of toV1) if (!toV2.has(v2)) return { version: 'v1', value: v2, becomes: v1 };
  for (const [v1, v2] of toV2) if (!toV1.has(v1)) return { version: 'v2', value: v1, becomes: v2 };
  return undefined;
}

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
