import { CompatError } from '../../errors.js';
import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord, requireString } from '../op-args.js';
import { compileTemplate } from '../template.js';

/**
 * Answers the v1 client with an error instead of calling v2, usually under a `when:`: v1
 * validated something v2 checks differently or not at all (a parameter that must be a number).
 * The failure is the gateway's `request-rejected` problem with the given status and message,
 * rendered in v1's error shape when the mapping says `gatewayErrors: v1`.
 */
export const reject: OpSpec = {
  id: 'reject',
  summary: 'Answers with an error instead of calling v2 (use with `when:`), e.g. a v1 validation v2 does not make.',
  example: 'reject: { status: 400, message: "price_gte must be a non-negative number" }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const status = record.status ?? 400;
    if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) context.fail('"status" is an error status, 400 to 599');
    const message = compileTemplate(requireString(record, 'message', context));
    if (record.headers !== undefined && !(typeof record.headers === 'object' && record.headers !== null && Object.values(record.headers).every((v) => typeof v === 'string'))) {
      context.fail('"headers" are extra headers of the answer, e.g. { Allow: "GET, HEAD" }');
    }
    const headers = Object.fromEntries(Object.entries((record.headers ?? {}) as Record<string, string>).map(([name, value]) => [name.toLowerCase(), compileTemplate(value)] as const));
    return {
      op: 'reject',
      description: `The request is answered ${String(status)}: ${JSON.stringify(record.message)}.`,
      apply: (root, exchange) => {
        const answerHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value(root, exchange) ?? '')]));
        throw new CompatError('request-rejected', String(message(root, exchange) ?? ''), {}, { status: status as number, headers: answerHeaders });
      },
      lossy: false,
      reads: [],
      writes: [],
    };
  },
};
