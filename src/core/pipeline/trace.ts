import type { CompiledStep } from '../mapping/compiled.js';
import type { ExchangeContext } from '../model/exchange-context.js';

export interface TraceEntry {
  stage: string;
  op: string;
  description: string;
  pointer: string;
  /** Whether the step changed the message. */
  changed: boolean;
  /** For a step with `when:`, a call, a variant or an error rule: the condition and whether it held. */
  condition?: { text: string; held: boolean };
}

/**
 * Runs steps in order, each only when its `when:` holds. With a trace, records which changed
 * the message (a dry-run aid: it serialises the message around every step, so the gateway never
 * passes one).
 */
export function runSteps(steps: readonly CompiledStep[], root: unknown, stage: string, trace?: TraceEntry[], context?: ExchangeContext): unknown {
  if (!trace) {
    for (const step of steps) {
      if (step.when && !step.when.test(root, context)) continue;
      root = step.apply(root, context);
    }
    return root;
  }
  for (const step of steps) {
    const entry: TraceEntry = { stage, op: step.op, description: step.description, pointer: step.pointer, changed: false };
    if (step.when) {
      const held = step.when.test(root, context);
      entry.condition = { text: step.when.text, held };
      if (!held) {
        trace.push(entry);
        continue;
      }
    }
    const before = JSON.stringify(root);
    root = step.apply(root, context);
    entry.changed = JSON.stringify(root) !== before;
    trace.push(entry);
  }
  return root;
}
