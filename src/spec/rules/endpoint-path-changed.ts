import { routeKey } from '../model.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'endpoint-path-changed',
  level: 'error',
  description: 'The operation moved to another path (paired by operationId or by the mapping).',
  site: 'operation',
  check: ({ v1, v2 }) => (routeKey('GET', v1.path) === routeKey('GET', v2.path) ? [] : [{ message: `path changed from ${code(v1.path)} to ${code(v2.path)}`, v1Path: 'path', v2Path: 'path' }]),
};
