import type { CompiledEndpoint, CompiledStep, CompiledTable } from '../core/mapping/compiled.js';
import { buildRuleInventory } from '../core/mapping/rule-inventory.js';
import type { MappingDocument } from '../core/model/mapping.js';
import { closeness } from './message-path.js';

/**
 * The mapping rules of one endpoint with the message places each one reads and writes, in v1
 * and v2 terms, so a finding or a failed check can name the rule it is about. Resource rules
 * are placed where a `resource` step applies them (`body.results[]` + `content`).
 */
export interface LocatedRule {
  pointer: string;
  op: string;
  description: string;
  /** `error`: steps of error rules, which shape non-2xx answers only. */
  side: 'request' | 'response' | 'error';
  v1Paths: string[];
  v2Paths: string[];
}

export function locateRules(table: CompiledTable, document: MappingDocument, endpoint: CompiledEndpoint): LocatedRule[] {
  const located: LocatedRule[] = [];
  const step = (s: CompiledStep, side: LocatedRule['side']) =>
    located.push({ pointer: s.pointer, op: s.op, description: s.note ?? s.description, side, v1Paths: side === 'request' ? s.reads : s.writes, v2Paths: side === 'request' ? s.writes : s.reads });
  const errorStep = (s: CompiledStep) => step(s, 'error');
  endpoint.request.forEach((s) => step(s, 'request'));
  endpoint.response.forEach((s) => step(s, 'response'));
  endpoint.errors.forEach((rule) => rule.steps.forEach(errorStep));
  table.errors.forEach((rule) => rule.steps.forEach(errorStep));
  for (const call of endpoint.calls) {
    call.response.forEach((s) => step(s, 'response'));
    call.merges.forEach((merge, i) => located.push({ pointer: `${call.pointer}/merge/${i}`, op: 'merge', description: call.description ?? `\`${merge.from.text}\` of call "${call.id}" merged into \`${merge.to.text}\``, side: 'response', v1Paths: [merge.to.text], v2Paths: [`${merge.from.text}`] }));
  }
  const inventory = buildRuleInventory(table, document).endpoints.get(endpoint.id);
  for (const resourceStep of inventory?.resourceSteps ?? []) {
    const resource = table.resources.get(resourceStep.resource);
    resource?.rules.forEach((rule, index) => {
      const at = resourceStep.at.text;
      const join = (field: string) => (at.endsWith('[]') ? `${at}.${field}` : `${at}.${field}`);
      located.push({
        pointer: `/resources/${resourceStep.resource.replace(/~/g, '~0').replace(/\//g, '~1')}/${index}`,
        op: rule.op,
        description: ((rule as CompiledStep).note ?? rule.description) + ` (resource ${resourceStep.resource} at \`${at}\`)`,
        side: resourceStep.stage,
        v1Paths: rule.reads.map(join),
        v2Paths: rule.writes.map(join),
      });
    });
  }
  return located;
}

/** The rule whose places relate most closely to the given ones, if any relates at all. */
export function bestRule(rules: LocatedRule[], side: LocatedRule['side'], v1Path: string | undefined, v2Path: string | undefined, minimum = 1): LocatedRule | undefined {
  let best: LocatedRule | undefined;
  let bestScore = minimum - 1;
  for (const rule of rules) {
    if (rule.side !== side) continue;
    const score = Math.max(0, ...(v1Path ? rule.v1Paths.map((p) => closeness(p, v1Path) * 2) : []), ...(v2Path ? rule.v2Paths.map((p) => closeness(p, v2Path) * 2 - 1) : []));
    if (score > bestScore) [best, bestScore] = [rule, score];
  }
  return best;
}
