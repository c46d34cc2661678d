import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord, requireString } from '../op-args.js';
import { isRecord } from '../path.js';
import { compileReference } from '../reference.js';
import { compileTemplate, templateReferences, type Template } from '../template.js';
import { parseMessagePath } from '../path.js';

export const header: OpSpec = {
  id: 'header',
  summary: 'Sets a header from a message field (`from`) or a template (`value`), e.g. a total count for pagination.',
  example: 'header: { name: X-Total-Count, from: body.meta.total }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const name = requireString(record, 'name', context).toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) context.fail(`"${name}" is not a valid header name (RFC 9110 section 5.1)`);
    if (('from' in record) === ('value' in record)) context.fail('needs exactly one of "from" (a path) or "value" (a template)');
    let read: Template;
    if (typeof record.from === 'string') {
      const reference = compileReference(record.from);
      if (reference.text.includes('[]')) context.fail('"from" cannot contain [] for a header; join a list with value: "${path[]|join}"');
      read = reference.read;
    } else {
      read = compileTemplate(record.value);
    }
    const target = parseMessagePath(`headers.${name}`);
    return {
      op: 'header',
      description: `The \`${record.name as string}\` header carries ${typeof record.from === 'string' ? `\`${record.from}\`` : JSON.stringify(record.value)}.`,
      apply: (root, exchange) => {
        const value = read(root, exchange);
        if (value === undefined || value === null || !isRecord(root)) return root;
        const headers = (root.headers ??= {}) as Record<string, unknown>;
        headers[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
        return root;
      },
      lossy: false,
      reads: typeof record.from === 'string' ? [record.from] : templateReferences(record.value),
      writes: [target.text],
    };
  },
};
