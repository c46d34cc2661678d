import type { HttpMessage } from '../model/http-message.js';
import type { TraceEntry } from '../pipeline/trace.js';
import { collect } from '../transform/path.js';
import type { RuleInventory } from './rule-inventory.js';

/**
 * The mapping rules one exchange exercised: every step that changed the message (from the
 * pipeline's trace), and every resource rule whose v1 field was present where a firing
 * `resource` step applied the resource (the trace only sees the resource step as a whole).
 */
export function exercisedRules(inventory: RuleInventory, endpointId: string, trace: readonly TraceEntry[], v1Request: HttpMessage, v1Response: HttpMessage | undefined): string[] {
  const fired = new Set(trace.filter((entry) => entry.changed).map((entry) => entry.pointer));
  const exercised = new Set(fired);
  for (const step of inventory.endpoints.get(endpointId)?.resourceSteps ?? []) {
    if (!fired.has(step.pointer)) continue;
    const message = step.stage === 'request' ? v1Request : v1Response;
    for (const { value } of collect(message, step.at)) {
      for (const rule of inventory.resources.get(step.resource) ?? []) {
        if (!rule.v1Field || collect(value, rule.v1Field).length > 0) exercised.add(rule.pointer);
      }
    }
  }
  return [...exercised];
}
