import { detachedContext } from '../../model/exchange-context.js';
import type { HttpMessage } from '../../model/http-message.js';
import type { TransformFunction } from '../../ports.js';
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
    const step = context.resolveFunction(args) as TransformFunction | undefined;
    if (!step) context.fail(`"${args}" was not found: the module must export a function named after the #`);
    const { endpointId: endpoint, direction } = context;
    const empty = detachedContext(endpoint);
    return {
      op: 'fn',
      description: `Custom step \`${args}\`.`,
      apply: (root, exchange = empty) =>
        step(root as HttpMessage, { endpoint, direction, request: exchange.request, v2Request: exchange.v2Request, responses: exchange.responses }) ?? root,
      lossy: false,
      reads: [],
      writes: [],
    };
  },
};
