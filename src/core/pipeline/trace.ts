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
  /**
   * Where the step changed the message: RFC 6901 pointers into the message document
   * (`/headers/content-type`, `/body/results/0/id`), at the deepest level where the message
   * before and after still had the same shape. Who wrote a value is what the checker needs to
   * tell a value the mapping produced on purpose from one it failed to reproduce.
   */
  places?: string[];
}

/**
 * Runs steps in order, each only when its `when:` holds. With a trace, records which changed
 * the message and where (a dry-run aid: it serialises the message around every step, so the
 * gateway never passes one).
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
    try {
      root = step.apply(root, context);
    } catch (error) {
      // A step that fails the exchange (a `reject`, a value that cannot be converted) decided the
      // answer: it is in the trace as the step that fired last.
      entry.changed = true;
      trace.push(entry);
      throw error;
    }
    const after = JSON.stringify(root);
    entry.changed = after !== before;
    if (entry.changed) entry.places = changedPlaces(before === undefined ? undefined : JSON.parse(before), after === undefined ? undefined : JSON.parse(after));
    trace.push(entry);
  }
  return root;
}

/** Pointers of the places where two JSON documents differ (objects key by key, arrays index by index). */
export function changedPlaces(before: unknown, after: unknown, at = '', out: string[] = []): string[] {
  if (before === after) return out;
  const beforeObject = typeof before === 'object' && before !== null;
  const afterObject = typeof after === 'object' && after !== null;
  if (beforeObject && afterObject && Array.isArray(before) === Array.isArray(after)) {
    const left = before as Record<string, unknown>;
    const right = after as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) changedPlaces(left[key], right[key], `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    return out;
  }
  out.push(at);
  return out;
}
