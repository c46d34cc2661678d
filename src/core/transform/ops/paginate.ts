import type { CompileContext, OpSpec } from '../op.js';
import { isRecord } from '../path.js';

/**
 * Where, among the response steps, the endpoint's `paging:` cuts the list to the v1 window and
 * writes the Link and total headers: after the steps that filter and sort a fetched list, before
 * the ones that unwrap it. Without this step, paging runs first, on v2's answer as received.
 */
export const paginate: OpSpec = {
  id: 'paginate',
  summary: "Applies the endpoint's `paging:` here: the list is cut to the v1 window, and Link and total-count headers are written.",
  example: 'paginate: { at: body.data }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const paging = context.paging;
    if (!paging) context.fail('needs a "paging:" block on the endpoint, which says how v1 and v2 page');
    // The block itself is wrong and reported where it is: this step has nothing to add.
    if (paging === 'invalid') return { op: 'paginate', description: '', apply: (root) => root, lossy: true, reads: [], writes: [] };
    if (context.direction !== 'to-v1') context.fail('belongs in response steps; the request side of paging: runs by itself');
    if (args !== null && args !== undefined && !isRecord(args)) context.fail('takes {} or { at: <list path> }');
    const at = isRecord(args) && typeof args.at === 'string' ? context.parsePath(args.at) : paging.items;
    return {
      op: 'paginate',
      description: paging.description,
      apply: (root, exchange) => paging.toV1(root, exchange, at),
      lossy: true,
      reads: [at.text, ...paging.v1Names.map((name) => `request.query.${name}`)],
      writes: [at.text, 'headers.link'],
    };
  },
};
