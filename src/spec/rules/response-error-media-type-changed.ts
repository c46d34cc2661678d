import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-error-media-type-changed',
  level: 'warn',
  description: 'An error response comes in another content type (application/json became application/problem+json...).',
  site: 'response',
  check: ({ v1Status, v1, v2 }) => {
    if (isSuccess(v1Status) || !Object.keys(v2.content).length) return [];
    return Object.keys(v1.content)
      .filter((mediaType) => !(mediaType in v2.content))
      .map((mediaType) => ({ message: `error content type ${code(mediaType)} became ${Object.keys(v2.content).map(code).join(', ')}`, detail: mediaType, v1Path: 'headers.content-type', v2Path: 'headers.content-type' }));
  },
};
