import { code, type Rule } from '../rule.js';

const names = (path: string) => [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]!);

export const rule: Rule = {
  id: 'path-parameter-renamed',
  level: 'info',
  description: 'A path parameter has another name in the same position (the URL a client builds is unchanged).',
  site: 'operation',
  check: ({ v1, v2 }) => {
    const [before, after] = [names(v1.path), names(v2.path)];
    return before.flatMap((name, i) => (after[i] !== undefined && after[i] !== name ? [{ message: `path parameter ${code(name)} is called ${code(after[i])}`, v1Path: `params.${name}`, v2Path: `params.${after[i]}` }] : []));
  },
};
