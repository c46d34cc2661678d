import type { CompiledEndpoint, Lifecycle } from '../mapping/compiled.js';
import type { RuleInventory, RuleRef } from '../mapping/rule-inventory.js';
import type { TraceEntry } from '../pipeline/trace.js';
import { matchesExactly, parsePattern, toPointer } from './path-pattern.js';

export interface ExplainContext {
  endpoint?: CompiledEndpoint;
  inventory: RuleInventory;
  lifecycle: Lifecycle;
  /** Status the gateway answered this step with. */
  gatewayStatus: number;
  /**
   * The response-side steps that changed the message when the checker translated this very
   * exchange itself (the v2-floor run of the same round and step), in the order they ran, with
   * the places each wrote. Undefined when there is no such trace: an unmapped route, or a floor
   * exchange that failed or did not run. Without a trace no mapping rule explains anything.
   */
  writers?: readonly TraceEntry[];
  /** Why there is no trace, for the hint (when `writers` is undefined). */
  untraced?: string;
}

/** The mapping rule a difference is traced to. */
export type TracedRule = Pick<RuleRef, 'pointer' | 'op'>;

/**
 * The mapping's account of one difference: `explained` when the mapping produced the value on
 * purpose; otherwise a `hint` for the unexplained difference (which rule wrote the value, or
 * why none could), so a reader knows where to look.
 */
export type Explanation = { explained: true; reason: string; rule?: TracedRule } | { explained: false; hint: string; rule?: TracedRule };

/**
 * Explained means produced: a difference is explained only when the gateway itself or a mapping
 * rule wrote that value at that place for this request, and the rule's purpose is to differ
 * from v1: the lifecycle headers and the request id the gateway adds, a removed endpoint
 * answering as configured, a `remove` step that deleted the value in this exchange, rounding
 * by a resource rule the mapping marks lossy. A rule whose job is to reproduce v1 (a rename, a
 * template, a constant `set` or `default`) and whose value differs from v1's is a break: the
 * hint names the rule. Nothing is explained by a rule the trace does not show running here (an
 * error rule on an unmapped route, a response rule on a gateway-made problem).
 */
export function explainDifference(segments: readonly string[], v1: unknown, actual: unknown, context: ExplainContext): Explanation | undefined {
  const made = removedEndpoint(context) ?? lifecycleHeader(segments, v1, actual, context.lifecycle);
  if (made) return { explained: true, reason: made };
  if (!context.endpoint) return { explained: false, hint: 'no mapping endpoint matches this v1 route, so no mapping rule ran for it' };
  if (!context.writers) return { explained: false, hint: `no mapping rule can explain it: ${context.untraced ?? 'the checker could not trace this exchange'}` };
  const pointer = toPointer(segments);
  const writer = lastWriter(context.writers, pointer);
  if (!writer) {
    return { explained: false, hint: actual === undefined ? 'no mapping step produces it in this exchange' : "no mapping step wrote it in this exchange: it is v2's own value" };
  }
  const rule = { pointer: writer.pointer, op: writer.op };
  if (writer.op === 'remove' && actual === undefined && v1 !== undefined) {
    return { explained: true, reason: `removed by the mapping (remove at ${writer.pointer}): ${writer.description}`, rule };
  }
  const rounding = lossyRounding(segments, v1, actual, writer, context);
  if (rounding) return { explained: true, reason: rounding, rule };
  const what = writer.op === 'set' || writer.op === 'default' ? `the mapping writes a constant or template here (${writer.op} at ${writer.pointer})` : `written by ${writer.op} at ${writer.pointer}`;
  return { explained: false, hint: `${what}, and the result is not v1's: ${writer.description}`, rule };
}

/** The last step that wrote the place, one of its ancestors or something inside it. */
function lastWriter(writers: readonly TraceEntry[], pointer: string): TraceEntry | undefined {
  for (let i = writers.length - 1; i >= 0; i--) {
    const writer = writers[i]!;
    if (writer.places?.some((place) => related(place, pointer))) return writer;
  }
  return undefined;
}

function related(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

function removedEndpoint({ endpoint, gatewayStatus }: ExplainContext): string | undefined {
  const removed = endpoint?.removed;
  if (!removed || gatewayStatus !== removed.status) return undefined;
  return `endpoint removed (${endpoint.pointer}/removed): the gateway answers ${removed.status}${removed.replacement ? `; replacement: ${removed.replacement}` : ''}`;
}

const LIFECYCLE_HEADERS: Record<string, { field: keyof Lifecycle; text: string }> = {
  deprecation: { field: 'deprecation', text: 'Deprecation header (RFC 9745) from the mapping\'s lifecycle.deprecation' },
  sunset: { field: 'sunset', text: 'Sunset header (RFC 8594) from the mapping\'s lifecycle.sunset' },
  link: { field: 'guide', text: 'Link rel="deprecation" to the mapping\'s lifecycle.guide' },
};

function lifecycleHeader(segments: readonly string[], v1: unknown, actual: unknown, lifecycle: Lifecycle): string | undefined {
  if (segments.length !== 2 || segments[0] !== 'headers' || typeof actual !== 'string') return undefined;
  const name = segments[1]!;
  if (name === 'x-request-id' && v1 === undefined) return 'the gateway adds a request id to every response';
  const known = LIFECYCLE_HEADERS[name];
  if (!known || !lifecycle[known.field]) return undefined;
  if (name === 'link') {
    // The gateway appends its link to whatever v1-visible links v2 sent; the rest must match.
    const rest = actual
      .split(/,(?=\s*<)/)
      .map((part) => part.trim())
      .filter((part) => !/rel="?deprecation"?/.test(part))
      .join(', ');
    if (rest !== (typeof v1 === 'string' ? v1 : '')) return undefined;
  } else if (v1 !== undefined) return undefined;
  return `lifecycle: the gateway adds the ${known.text}`;
}

/** Rounding within one v1 step by a lossy resource rule the tracing saw write this very place. */
function lossyRounding(segments: readonly string[], v1: unknown, actual: unknown, writer: TraceEntry, context: ExplainContext): string | undefined {
  if (typeof v1 !== 'number' || typeof actual !== 'number' || writer.op !== 'resource') return undefined;
  const rules = context.endpoint ? context.inventory.endpoints.get(context.endpoint.id) : undefined;
  for (const step of rules?.resourceSteps ?? []) {
    if (step.stage !== 'response' || step.pointer !== writer.pointer) continue;
    for (const rule of context.inventory.resources.get(step.resource) ?? []) {
      if (!rule.lossy || rule.rounding === undefined || !rule.v1Field) continue;
      const pattern = parsePattern(`${step.at.text}.${rule.v1Field.text}`);
      if (matchesExactly(pattern, segments) && Math.abs(v1 - actual) <= rule.rounding) {
        return `within the rounding of a rule the mapping marks lossy (${rule.op} at ${rule.pointer}): ${rule.description}`;
      }
    }
  }
  return undefined;
}
