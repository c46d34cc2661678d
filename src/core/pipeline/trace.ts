import type { CompiledStep } from '../mapping/compiled.js';

export interface TraceEntry {
  stage: string;
  op: string;
  description: string;
  pointer: string;
  /** Whether the step changed the message. */
  changed: boolean;
}

/**
 * Runs steps in order. With a trace, records which changed the message (a dry-run aid: it
 * serialises the message around every step, so the gateway never passes one).
 */
export function runSteps(steps: readonly CompiledStep[], root: unknown, stage: string, trace?: TraceEntry[]): unknown {
  if (!trace) {
    for (const step of steps) root = step.apply(root);
    return root;
  }
  for (const step of steps) {
    const before = JSON.stringify(root);
    root = step.apply(root);
    trace.push({ stage, op: step.op, description: step.description, pointer: step.pointer, changed: JSON.stringify(root) !== before });
  }
  return root;
}
