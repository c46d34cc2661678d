import { code, type Rule } from '../rule.js';

export const rule: Rule = {
  id: 'request-media-type-added',
  level: 'info',
  description: 'v2 accepts a request content type v1 did not.',
  site: 'operation',
  check: ({ v1, v2 }) => {
    if (!v1.requestBody || !v2.requestBody) return [];
    return Object.keys(v2.requestBody.content)
      .filter((mediaType) => !(mediaType in v1.requestBody!.content))
      .map((mediaType) => ({ message: `v2 also accepts ${code(mediaType)}`, detail: mediaType }));
  },
};
