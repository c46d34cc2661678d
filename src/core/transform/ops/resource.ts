import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord, requireString } from '../op-args.js';
import { updateEach } from '../path.js';
import { plannedResourceTransform } from '../resource-plan.js';
import { closestWord } from '../../spelling.js';

export const resource: OpSpec = {
  id: 'resource',
  summary: 'Applies a resource\'s field rules to every object at a path: v1 to v2 in request steps, v2 to v1 in response steps.',
  example: 'resource: { at: "body.results[]", is: Knowledge }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const at = requireString(record, 'at', context);
    const name = requireString(record, 'is', context);
    const target = context.resources.get(name);
    if (!target) {
      const known = [...context.resources.keys()];
      const hint = closestWord(name, known);
      context.fail(`unknown resource "${name}"${hint ? `; did you mean "${hint}"?` : ''} ${known.length ? `Resources declared: ${known.join(', ')}` : 'Declare it under resources:'}`);
    }
    const path = context.parsePath(at);
    // Planned per object shape where the rules allow it (resource-plan.ts), op by op otherwise.
    const toV2 = plannedResourceTransform(target.rules, 'to-v2', target.toV2);
    const toV1 = plannedResourceTransform(target.rules, 'to-v1', target.toV1);
    const [forward, backward] = context.direction === 'to-v2' ? [toV2, toV1] : [toV1, toV2];
    return {
      op: 'resource',
      description: `\`${at}\` is a ${name}.`,
      apply: (root) => updateEach(root, path, (value) => (value === null ? value : forward(value))),
      undo: (root) => updateEach(root, path, (value) => (value === null ? value : backward(value))),
      lossy: target.rules.some((rule) => rule.lossy),
      reads: [at],
      writes: [at],
    };
  },
};
