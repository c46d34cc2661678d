import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord, requireString } from '../op-args.js';
import { updateEach } from '../path.js';

export const replace: OpSpec = {
  id: 'replace',
  summary: 'Rewrites text with a regular expression, e.g. v2 field names inside error messages; non-strings pass unchanged.',
  example: 'replace: { path: body.detail, match: "^query ", with: "q " }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const pathText = requireString(record, 'path', context);
    const pattern = requireString(record, 'match', context);
    if (typeof record.with !== 'string') context.fail('needs "with" (the replacement text; $1 inserts the first group)');
    let expression: RegExp;
    try {
      expression = new RegExp(pattern, 'g');
    } catch (error) {
      context.fail(`"${pattern}" is not a regular expression: ${(error as Error).message}`);
    }
    const replacement = record.with;
    const path = context.parsePath(pathText);
    return {
      op: 'replace',
      description: `Text in \`${pathText}\` matching /${pattern}/ reads "${replacement}".`,
      apply: (root) => updateEach(root, path, (value) => (typeof value === 'string' ? value.replace(expression, replacement) : value)),
      lossy: true,
      reads: [pathText],
      writes: [pathText],
    };
  },
};
