import { operationName } from '../model.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'endpoint-added',
  level: 'info',
  description: 'v2 has an operation v1 did not have.',
  site: 'document',
  check: (site) => site.unpairedV2.map((operation) => ({ operation, side: 'v2' as const, message: `${operationName(operation)} is new in v2` })),
};
