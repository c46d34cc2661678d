import { operationName } from '../model.js';
import type { Rule } from '../rule.js';

export const rule: Rule = {
  id: 'deprecated-endpoint-removed',
  level: 'info',
  description: 'A v1 operation that v1 already marked deprecated is gone in v2.',
  site: 'document',
  check: (site) => site.unpairedV1.filter((op) => op.deprecated).map((operation) => ({ operation, message: `${operationName(operation)} (deprecated in v1) is not in v2` })),
};
