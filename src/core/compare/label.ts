import type { Difference } from '../model/report.js';
import type { RawDifference } from './diff-json.js';
import type { Explanation } from './explain.js';
import type { NoiseModel } from './noise.js';
import { covers, toPointer, type PathPattern } from './path-pattern.js';

export interface LabelContext {
  step: number;
  endpoint: string;
  ignore: readonly PathPattern[];
  noise: NoiseModel;
  /** Who answered instead of v1, for the reason text: "the gateway", "v2". */
  actor: string;
  /** The mapping's explanation, if it has one (undefined for `--direct`: nothing translates there). */
  explain?: (difference: RawDifference) => Explanation | undefined;
}

/**
 * Labels one difference: noise first (a matcher accepted it, an ignore rule names it, or two
 * v1 answers already disagreed there), then explained (the mapping accounts for it), else
 * unexplained: a v1 client would see something v1 never sent.
 */
export function labelDifference(raw: RawDifference, context: LabelContext): Difference {
  const base = {
    pointer: toPointer(raw.segments),
    ...(raw.v1 !== undefined ? { v1: raw.v1 } : {}),
    ...(raw.actual !== undefined ? { actual: raw.actual } : {}),
    endpoint: context.endpoint,
    step: context.step,
  };
  if (raw.accepted) return { ...base, label: 'noise', reason: `accepted by matcher: ${raw.accepted}` };
  const rule = context.ignore.find((pattern) => covers(pattern, raw.segments));
  if (rule) return { ...base, label: 'noise', reason: `ignore rule ${rule.text}` };
  if (context.noise.isNoise(context.step, raw.segments)) return { ...base, label: 'noise', reason: 'differs between two v1 answers to the same request' };
  const explanation = context.explain?.(raw);
  const traced = explanation?.rule ? { rule: explanation.rule } : {};
  if (explanation?.explained) return { ...base, label: 'explained', reason: explanation.reason, ...traced };
  const reason = unexplainedReason(raw, context.actor);
  return { ...base, label: 'unexplained', reason: explanation ? `${reason}; ${explanation.hint}` : reason, ...traced };
}

function unexplainedReason(raw: RawDifference, actor: string): string {
  if (raw.order) return `order differs: ${actor} sends the same elements in another order`;
  if (raw.actual === undefined) return `v1 sends this; ${actor} does not`;
  if (raw.v1 === undefined) return `${actor} sends this; v1 does not`;
  return `${actor} sends a different value than v1`;
}
