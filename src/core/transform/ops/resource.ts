import { TransformError } from '../../errors.js';
import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord, requireString } from '../op-args.js';
import { isRecord, updateEach } from '../path.js';
import { plannedResourceTransform } from '../resource-plan.js';
import { closestWord } from '../../spelling.js';

/**
 * How many levels of objects and arrays a deep application descends below `at`. Far deeper than
 * any real API document; it bounds the recursion a crafted body could force.
 */
export const DEEP_RESOURCE_MAX_DEPTH = 64;

export const resource: OpSpec = {
  id: 'resource',
  summary: 'Applies a resource\'s field rules to every object at a path: v1 to v2 in request steps, v2 to v1 in response steps. With `deep: true` also to every object nested at any depth below it.',
  example: 'resource: { at: "body.results[]", is: Knowledge }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const at = requireString(record, 'at', context);
    const name = requireString(record, 'is', context);
    if (at.includes('**')) {
      const base = at.replace(/\.?\*\*.*$/, '') || 'body';
      context.fail(`"at" is a path, and "**" is not part of one; to apply the rules at every depth write { at: ${base}, is: ${name}, deep: true }`);
    }
    const deep = record.deep ?? false;
    if (typeof deep !== 'boolean') context.fail(`"deep" must be true (also every nested object) or false, got ${JSON.stringify(deep)}`);
    const target = context.resources.get(name);
    if (!target) {
      const known = [...context.resources.keys()];
      const hint = closestWord(name, known);
      context.fail(`unknown resource "${name}"${hint ? `; did you mean "${hint}"?` : ''} ${known.length ? `Resources declared: ${known.join(', ')}` : 'Declare it under resources:'}`);
    }
    const path = context.parsePath(at);
    // Planned per object shape where the rules allow it (resource-plan.ts), op by op otherwise.
    let toV2 = plannedResourceTransform(target.rules, 'to-v2', target.toV2);
    let toV1 = plannedResourceTransform(target.rules, 'to-v1', target.toV1);
    if (deep) {
      toV2 = childrenFirst(toV2, at);
      toV1 = parentsFirst(toV1, at);
    }
    const [forward, backward] = context.direction === 'to-v2' ? [toV2, toV1] : [toV1, toV2];
    return {
      op: 'resource',
      description: deep
        ? `\`${at}\` is a ${name}, and so is every object nested in it (up to ${DEEP_RESOURCE_MAX_DEPTH} levels).`
        : `\`${at}\` is a ${name}.`,
      apply: (root) => updateEach(root, path, (value) => (value === null ? value : forward(value))),
      undo: (root) => updateEach(root, path, (value) => (value === null ? value : backward(value))),
      lossy: target.rules.some((rule) => rule.lossy),
      reads: [at],
      writes: [at],
    };
  },
};

type ObjectTransform = (value: unknown) => unknown;

/*
 * A deep application visits every plain object at or below `at` (arrays are walked, not
 * converted; null and other scalars are left alone) exactly once, and no object a rule itself
 * creates. v1 → v2 converts children before their parent, so each object is converted in its v1
 * shape before the parent's rules move it; v2 → v1 converts the parent first and then the
 * children of the result, so a container a v1 → v2 rule created (a `metadata` a nesting move
 * made) is dissolved before descending. Each order is the exact mirror of the other: when every
 * visited object round-trips under the rules, so does the whole document.
 */
function childrenFirst(convert: ObjectTransform, at: string): ObjectTransform {
  const visit = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) {
      checkDepth(depth, at);
      for (let index = 0; index < value.length; index++) value[index] = visit(value[index], depth + 1);
      return value;
    }
    if (!isRecord(value)) return value;
    checkDepth(depth, at);
    for (const key of Object.keys(value)) value[key] = visit(value[key], depth + 1);
    return convert(value);
  };
  return (value) => visit(value, 0);
}

function parentsFirst(convert: ObjectTransform, at: string): ObjectTransform {
  const descend = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = visit(value[index], depth + 1);
    } else if (isRecord(value)) {
      for (const key of Object.keys(value)) value[key] = visit(value[key], depth + 1);
    }
    return value;
  };
  const visit = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) {
      checkDepth(depth, at);
      return descend(value, depth);
    }
    if (!isRecord(value)) return value;
    checkDepth(depth, at);
    return descend(convert(value), depth);
  };
  return (value) => visit(value, 0);
}

function checkDepth(depth: number, at: string): void {
  if (depth > DEEP_RESOURCE_MAX_DEPTH) {
    throw new TransformError(`the document nests more than ${DEEP_RESOURCE_MAX_DEPTH} levels of objects and arrays below ${at}; a deep resource stops there rather than convert it in part`, at);
  }
}
