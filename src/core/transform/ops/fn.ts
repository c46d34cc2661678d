import type { HttpMessage } from '../../model/http-message.js';
import type { CompileContext, OpSpec } from '../op.js';

export const fn: OpSpec = {
  id: 'fn',
  summary: 'Calls a named export of a TypeScript/JavaScript module beside the mapping, for steps no declarative op covers.',
  example: 'fn: ./transforms.ts#linkHeader',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    if (typeof args !== 'string' || !/^.+#[A-Za-z_$][\w$]*$/.test(args)) {
      context.fail('expects "./module.ts#exportName"');
    }
    const step = context.resolveFunction(args);
    if (!step) context.fail(`"${args}" was not found: the module must export a function named after the #`);
    const info = { endpoint: context.endpointId, direction: context.direction };
    return {
      op: 'fn',
      description: `Custom step \`${args}\`.`,
      apply: (root) => step(root as HttpMessage, info) ?? root,
      lossy: false,
      reads: [],
      writes: [],
    };
  },
};
