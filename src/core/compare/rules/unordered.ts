import { MatcherArgumentError, type MatcherRule } from '../matcher.js';

export const unordered: MatcherRule = {
  id: 'unordered',
  key: 'unordered',
  summary: 'Arrays at this place are compared as multisets: the same elements in any order.',
  example: 'match: { body.tags: unordered }',
  shorthand: true,
  compile(args) {
    if (args !== true) throw new MatcherArgumentError('"unordered" takes no arguments: write `unordered` or `{ unordered: true }`');
    return { rule: 'unordered', describe: 'unordered array', unordered: true };
  },
};
