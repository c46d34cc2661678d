import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-media-type-removed',
  level: 'error',
  description: 'A request content type v1 accepted is not accepted by v2.',
  site: 'operation',
  check: ({ v1, v2 }) => {
    if (!v1.requestBody || !v2.requestBody) return [];
    const accepted = Object.keys(v2.requestBody.content);
    if (!accepted.length) return [];
    return Object.keys(v1.requestBody.content)
      .filter((mediaType) => !accepted.includes(mediaType))
      .map((mediaType) => ({ message: `request content type ${code(mediaType)} is not accepted; v2 accepts ${accepted.map(code).join(', ')}`, detail: mediaType, v1Path: 'headers.content-type', v2Path: 'headers.content-type' }));
  },
};
