import { TransformError } from '../../errors.js';
import type { CompileContext, OpSpec } from '../op.js';
import { readField } from '../op-args.js';
import { updateEach } from '../path.js';
import { describeValue } from '../convert.js';

type Range = [number, number];

function readRange(value: unknown): Range | undefined {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n)) && value[0] !== value[1]
    ? [value[0] as number, value[1] as number]
    : undefined;
}

function linear(from: Range, to: Range, round: boolean): (x: number) => number {
  const factor = (to[1] - to[0]) / (from[1] - from[0]);
  // Round half away from zero, and tame float noise such as 5.499999999 first.
  return (x) => {
    const exact = to[0] + (x - from[0]) * factor;
    if (!round) return exact;
    const tidy = Math.round(exact * 1e9) / 1e9;
    // `|| 0`: a small negative result rounds to 0, not -0.
    return Math.sign(tidy) * Math.round(Math.abs(tidy)) || 0;
  };
}

/** True when some integer of `from` does not survive the trip to `to` and back. */
function losesIntegers(from: Range, to: Range, round: boolean): boolean {
  const there = linear(from, to, round);
  const back = linear(to, from, round);
  const low = Math.ceil(Math.min(...from));
  const high = Math.floor(Math.max(...from));
  if (high - low > 100_000) return round;
  for (let x = low; x <= high; x++) if (back(there(x)) !== x) return true;
  return false;
}

/**
 * `decimals: { v1: 2, v2: 0 }`: each side's values are rounded to that many decimal places, as
 * money is (euros with cents in v1, integer cents in v2): 9.99 becomes 999, not 998.9999999999999.
 */
function readDecimals(value: unknown, context: CompileContext): { v1?: number; v2?: number } | undefined {
  if (value === undefined) return undefined;
  const valid = (n: unknown) => n === undefined || (Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 12);
  if (typeof value !== 'object' || value === null || !valid((value as { v1?: unknown }).v1) || !valid((value as { v2?: unknown }).v2)) {
    context.fail('"decimals" gives the decimal places kept on each side, e.g. { v1: 2, v2: 0 } for euros and cents');
  }
  return value as { v1?: number; v2?: number };
}

function toDecimals(convert: (x: number) => number, places: number | undefined): (x: number) => number {
  if (places === undefined) return convert;
  const factor = 10 ** places;
  return (x) => Math.round(convert(x) * factor) / factor || 0;
}

export const scale: OpSpec = {
  id: 'scale',
  summary: 'Linear rescale of a number between two ranges; rounds when both ranges are integers (flagged lossy when v2 has values v1 cannot express).',
  example: 'scale: { field: priority, v1: [1, 5], v2: [1, 10] }',
  levels: ['resource', 'step'],
  compile(args: unknown, context: CompileContext) {
    const { record, field } = readField(args, context);
    const v1 = readRange(record.v1);
    const v2 = readRange(record.v2);
    if (!v1 || !v2) context.fail('needs "v1" and "v2" ranges of two different numbers, e.g. v1: [1, 5], v2: [1, 10]');
    const decimals = readDecimals(record.decimals, context);
    const round = decimals ? false : typeof record.round === 'boolean' ? record.round : [...v1, ...v2].every(Number.isInteger);
    if (round && losesIntegers(v1, v2, round)) {
      context.fail(`scaling ${field} from [${v1}] to [${v2}] and back does not return every v1 integer; widen the v2 range or set round: false`);
    }
    const path = context.parsePath(field);
    const toV2 = toDecimals(linear(v1, v2, round), decimals?.v2);
    const toV1 = toDecimals(linear(v2, v1, round), decimals?.v1);
    const rescale = (fn: (x: number) => number) => (value: unknown) => {
      if (value === null) return value;
      if (typeof value !== 'number') throw new TransformError(`expected a number at ${field}, got ${describeValue(value)}`, field);
      return fn(value);
    };
    const forward = rescale(context.direction === 'to-v2' ? toV2 : toV1);
    const backward = rescale(context.direction === 'to-v2' ? toV1 : toV2);
    // v1 -> v2 -> v1 is exact (checked above); v2 values between the images of v1 values are
    // rounded on the way back, which is what "lossy" tells the reader.
    const lossy = decimals !== undefined || (round && losesIntegers(v2, v1, round));
    return {
      op: 'scale',
      description: `\`${field}\` is rescaled from ${v1[0]}..${v1[1]} (v1) to ${v2[0]}..${v2[1]} (v2)${lossy ? '; v2 values between steps are rounded for v1 clients' : ''}.`,
      apply: (root) => updateEach(root, path, forward),
      undo: (root) => updateEach(root, path, backward),
      edit: { kind: 'update', path, update: forward },
      undoEdit: { kind: 'update', path, update: backward },
      lossy,
      reads: [field],
      writes: [field],
    };
  },
};
