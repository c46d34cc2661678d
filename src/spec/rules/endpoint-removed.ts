import { operationName } from '../model.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'endpoint-removed',
  level: 'error',
  description: 'A v1 operation has no counterpart in v2 (same route, same operationId or a mapping entry).',
  site: 'document',
  check: (site) => site.unpairedV1.filter((op) => !op.deprecated).map((operation) => ({ operation, message: `${operationName(operation)} is not in v2` })),
};
