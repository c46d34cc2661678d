import { compileCondition, ConditionError } from '../condition.js';
import { listPath, readList, writeList } from '../list-target.js';
import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord } from '../op-args.js';

/**
 * Keeps the elements of a list that satisfy a condition over each element, with operands read
 * from the exchange: how a gateway re-implements a v1 filter that v2 no longer has. A test whose
 * operand yields nothing (the client did not send that parameter) keeps everything.
 */
export const filter: OpSpec = {
  id: 'filter',
  summary: 'Keeps the list elements that satisfy `where` (element fields tested against values read from the request): v1 filters v2 lost.',
  example: 'filter: { at: body, where: { price: { gte: "${request.query.price_gte}" }, "*": { contains: "${request.query.q}", caseInsensitive: true } } }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const at = listPath(record, context);
    if (record.where === undefined) context.fail('needs "where": a condition over each element, e.g. { price: { gte: 5 } }');
    let where;
    try {
      where = compileCondition(record.where, 'element');
    } catch (error) {
      if (error instanceof ConditionError) context.fail(`where${error.at ? ` at ${error.at}` : ''}: ${error.message}`);
      throw error;
    }
    return {
      op: 'filter',
      description: `Only the elements of \`${at.text}\` where ${where.text} are kept.`,
      apply: (root, exchange) => {
        const list = readList(root, at);
        if (!list) return root;
        const keep = where.bind(root, exchange);
        return writeList(root, at, list.filter(keep));
      },
      lossy: true,
      reads: [at.text, ...where.reads.filter((read) => !read.startsWith('item.'))],
      writes: [at.text],
    };
  },
};
