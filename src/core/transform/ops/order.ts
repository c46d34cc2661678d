import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord } from '../op-args.js';
import { isRecord, updateEach } from '../path.js';

/**
 * Puts an object's members in v1's order: the listed keys first, in that order, then the others
 * as they were. JSON objects are unordered to a parser, but clients and caches that compare
 * bytes (ETags, signatures, snapshot tests) are not.
 */
export const order: OpSpec = {
  id: 'order',
  summary: "Puts an object's members in v1's order (listed keys first, the rest after), for clients that compare bytes.",
  example: 'order: { at: "body[]", keys: [id, name, description, price] }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    if (typeof record.at !== 'string') context.fail('needs "at": the objects to reorder, e.g. body or "body[]"');
    const keys = record.keys;
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string')) context.fail('needs "keys": the member names in v1 order');
    const at = context.parsePath(record.at);
    const listed = keys as string[];
    const reorder = (value: unknown): unknown => {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of listed) if (Object.hasOwn(value, key)) out[key] = value[key];
      for (const key of Object.keys(value)) if (!Object.hasOwn(out, key)) out[key] = value[key];
      return out;
    };
    return {
      op: 'order',
      description: `Members of \`${record.at}\` come in the order ${listed.join(', ')}.`,
      apply: (root) => updateEach(root, at, reorder),
      lossy: false,
      reads: [record.at],
      writes: [record.at],
    };
  },
};
