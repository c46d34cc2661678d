import type { CompileContext, OpSpec } from '../op.js';
import { isRecord } from '../path.js';

function isStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

export const status: OpSpec = {
  id: 'status',
  summary: 'Sets the status code, or maps codes (`{ 200: 201 }`); unlisted codes pass unchanged.',
  example: 'status: { 200: 201 }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    let table: Map<number, number>;
    if (isStatus(args)) table = new Map();
    else if (isRecord(args) && Object.keys(args).length > 0) {
      table = new Map();
      for (const [from, to] of Object.entries(args)) {
        if (!/^\d{3}$/.test(from) || !isStatus(Number(from)) || !isStatus(to)) context.fail(`"${from}: ${String(to)}" is not a pair of status codes`);
        table.set(Number(from), to);
      }
    } else context.fail('expects a status code (201) or a map of codes ({ 200: 201 })');
    const fixed = isStatus(args) ? args : undefined;
    const reversed = new Map([...table].map(([a, b]) => [b, a]));
    const remap = (lookup: Map<number, number>) => (root: unknown) => {
      if (isRecord(root) && typeof root.status === 'number') root.status = lookup.get(root.status) ?? root.status;
      return root;
    };
    return {
      op: 'status',
      description:
        fixed !== undefined
          ? `The status code is ${fixed}.`
          : `Status codes change: ${[...table].map(([a, b]) => (context.direction === 'to-v1' ? `${a} in v2 is ${b} in v1` : `${a} in v1 is ${b} in v2`)).join(', ')}.`,
      apply:
        fixed !== undefined
          ? (root) => {
              if (isRecord(root)) root.status = fixed;
              return root;
            }
          : remap(table),
      undo: fixed !== undefined || reversed.size !== table.size ? undefined : remap(reversed),
      lossy: fixed !== undefined,
      reads: ['status'],
      writes: ['status'],
    };
  },
};
