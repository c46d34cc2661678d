import { isSuccess } from '../rule-kit.js';
import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'response-media-type-removed',
  level: 'error',
  description: 'A success response content type v1 sent is not sent by v2.',
  site: 'response',
  check: ({ v1Status, v1, v2 }) => {
    if (!isSuccess(v1Status) || !Object.keys(v2.content).length) return [];
    return Object.keys(v1.content)
      .filter((mediaType) => !(mediaType in v2.content))
      .map((mediaType) => ({ message: `content type ${code(mediaType)} is not sent; v2 sends ${Object.keys(v2.content).map(code).join(', ')}`, detail: mediaType, v1Path: 'headers.content-type', v2Path: 'headers.content-type' }));
  },
};
