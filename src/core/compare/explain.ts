import type { CompiledEndpoint, Lifecycle } from '../mapping/compiled.js';
import type { DeclaredValue, EndpointRules, RuleInventory } from '../mapping/rule-inventory.js';
import { covers, matchesExactly, parsePattern } from './path-pattern.js';

export interface ExplainContext {
  endpoint?: CompiledEndpoint;
  inventory: RuleInventory;
  lifecycle: Lifecycle;
  /** Status the gateway answered this step with. */
  gatewayStatus: number;
  /**
   * Steps that changed the message when the checker translated the same exchange itself (the
   * v2-floor run). Undefined when that run was not possible: every step then counts.
   */
  fired?: ReadonlySet<string>;
  /**
   * v1's answer (its compared view) the difference was found in, to tell whether v1 had a value
   * where a `default` writes. Undefined: the difference's own v1 value decides.
   */
  v1View?: unknown;
}

/**
 * Why the mapping accounts for a difference between v1 and the gateway, or undefined when it
 * does not (then a v1 client would see something v1 never sent: unexplained). Only declared
 * intent explains: lifecycle headers, a removed endpoint answering as configured, a constant
 * the mapping sets or a value it removes, and rounding by a rule the mapping marks lossy. A rule
 * that should reproduce v1 (a rename, a template) and did not is never an explanation.
 */
export function explainDifference(segments: readonly string[], v1: unknown, actual: unknown, context: ExplainContext): string | undefined {
  return removedEndpoint(context) ?? lifecycleHeader(segments, v1, actual, context.lifecycle) ?? declaredValue(segments, v1, context) ?? lossyRounding(segments, v1, actual, context);
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

function endpointRules(context: ExplainContext): EndpointRules | undefined {
  return context.endpoint ? context.inventory.endpoints.get(context.endpoint.id) : undefined;
}

function declaredValue(segments: readonly string[], v1: unknown, context: ExplainContext): string | undefined {
  const candidates = [...(endpointRules(context)?.declared ?? []), ...context.inventory.errorDeclared];
  // Without the floor's trace, an error rule is taken to have shaped only error answers.
  const step = candidates.find(
    (candidate) =>
      (context.fired ? context.fired.has(candidate.pointer) : !candidate.errorRule || context.gatewayStatus >= 400) &&
      covers(candidate.pattern, segments) &&
      (!candidate.onlyWhereV1Absent || v1HasNothingAt(candidate, segments, v1, context.v1View)),
  );
  return step ? `declared by the mapping (${step.op} at ${step.pointer}): ${step.description}` : undefined;
}

/**
 * Whether v1 had no value where a `default` wrote: at the place the default's path names (an
 * ancestor of the difference, or the difference itself). `v1: {meta: {}}` against a defaulted
 * `{meta: {a: 1}}` is v1 data replaced, even though the difference sits at `meta.a`.
 */
function v1HasNothingAt(declared: DeclaredValue, segments: readonly string[], v1: unknown, v1View: unknown): boolean {
  const tokens = declared.pattern.tokens;
  if (v1View === undefined || tokens.some((token) => token.kind === 'deep')) return v1 === undefined;
  let node: unknown = v1View;
  for (const segment of segments.slice(0, tokens.length)) {
    if (Array.isArray(node)) node = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
    else if (typeof node === 'object' && node !== null) node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    else return true;
    if (node === undefined) return true;
  }
  return node === undefined;
}

function lossyRounding(segments: readonly string[], v1: unknown, actual: unknown, context: ExplainContext): string | undefined {
  if (typeof v1 !== 'number' || typeof actual !== 'number') return undefined;
  for (const step of endpointRules(context)?.resourceSteps ?? []) {
    if (step.stage !== 'response' || (context.fired && !context.fired.has(step.pointer))) continue;
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
