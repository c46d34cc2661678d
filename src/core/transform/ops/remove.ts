import type { CompileContext, OpSpec } from '../op.js';
import { removeValue } from '../path.js';

export const remove: OpSpec = {
  id: 'remove',
  summary: 'Deletes one or more paths (a list is accepted).',
  example: 'remove: [body.hits, headers.x-internal]',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const texts = typeof args === 'string' ? [args] : Array.isArray(args) && args.every((a) => typeof a === 'string') ? (args as string[]) : undefined;
    if (!texts || texts.length === 0) context.fail('expects a path or a list of paths');
    const paths = texts.map((text) => context.parsePath(text));
    return {
      op: 'remove',
      description: `${texts.map((t) => `\`${t}\``).join(', ')} ${texts.length > 1 ? 'are' : 'is'} not part of the ${context.direction === 'to-v1' ? 'v1' : 'v2'} message.`,
      apply: (root) => {
        for (const path of paths) removeValue(root, path);
        return root;
      },
      lossy: true,
      reads: texts,
      writes: [],
    };
  },
};
