import type { Difference, RootCause, ScenarioResult } from '../model/report.js';
import { compareText } from './ordering.js';

/**
 * The unexplained differences of a run grouped by place, so one cause shows once however many
 * scenarios it breaks: `/body/results/3/id` and `/body/results/0/id` are both
 * `body.results[].id` (array indexes become `[]`), a header is its name. Groups are ranked by how
 * many scenarios they affect, then by how many times they occur; each keeps one example, the
 * endpoints involved and the mapping rule that wrote the value, when the trace showed one.
 */
export function rootCauses(scenarios: readonly ScenarioResult[]): RootCause[] {
  const groups = new Map<string, { scenarios: Set<string>; occurrences: number; endpoints: Set<string>; rules: Map<string, RootCause['rule']>; intermittent: number; example: { scenario: string; difference: Difference } }>();
  for (const scenario of scenarios) {
    if (scenario.knownGap !== undefined) continue;
    for (const difference of scenario.differences) {
      if (difference.label !== 'unexplained') continue;
      const place = placeOf(difference.pointer);
      let group = groups.get(place);
      if (!group) {
        group = { scenarios: new Set(), occurrences: 0, endpoints: new Set(), rules: new Map(), intermittent: 0, example: { scenario: scenario.name, difference } };
        groups.set(place, group);
      }
      group.scenarios.add(scenario.name);
      group.occurrences++;
      if (difference.intermittent) group.intermittent++;
      for (const endpoint of [difference.endpoint ?? scenario.endpoints[0], ...(difference.chargedTo ?? [])]) if (endpoint) group.endpoints.add(endpoint);
      if (difference.rule) group.rules.set(difference.rule.pointer, difference.rule);
    }
  }
  return [...groups.entries()]
    .map(([place, group]) => {
      const { scenario, difference } = group.example;
      const rule = [...group.rules.values()][0];
      return {
        place,
        scenarios: group.scenarios.size,
        occurrences: group.occurrences,
        endpoints: [...group.endpoints].sort(compareText),
        ...(rule ? { rule } : {}),
        ...(group.intermittent === group.occurrences ? { intermittent: true } : {}),
        example: {
          scenario,
          ...(difference.step !== undefined ? { step: difference.step } : {}),
          pointer: difference.pointer,
          ...(difference.v1 !== undefined ? { v1: difference.v1 } : {}),
          ...(difference.actual !== undefined ? { actual: difference.actual } : {}),
          reason: difference.reason,
        },
      };
    })
    .sort((a, b) => b.scenarios - a.scenarios || b.occurrences - a.occurrences || compareText(a.place, b.place));
}

/** `/body/results/0/id` -> `body.results[].id`; `/headers/x-total-count` -> `headers.x-total-count`. */
export function placeOf(pointer: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let text = '';
  for (const [index, segment] of segments.entries()) {
    if (/^\d+$/.test(segment) && index > 0) text += '[]';
    else text += index === 0 ? segment : `.${segment}`;
  }
  return text;
}
