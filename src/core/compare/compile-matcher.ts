import { MatcherArgumentError, type CompiledMatcher } from './matcher.js';
import { MATCHER_RULES } from './rules/registry.js';

const ruleList = () => [...MATCHER_RULES.keys()].join(', ');

/** `type`, `unordered`, `{ regex: "^a" }`, `{ tolerance: 0.5 }`, `{ timestamp: 5m }`. */
export function compileMatcher(document: unknown): CompiledMatcher {
  if (typeof document === 'string') {
    const rule = MATCHER_RULES.get(document);
    if (!rule) throw new MatcherArgumentError(`unknown matcher "${document}"; matchers: ${ruleList()}`);
    if (rule.shorthand === undefined) throw new MatcherArgumentError(`"${document}" needs an argument: ${rule.example}`);
    return rule.compile(rule.shorthand);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new MatcherArgumentError(`a matcher is a word (type, unordered, timestamp) or an object such as { regex: "^a" }; matchers: ${ruleList()}`);
  }
  const keys = Object.keys(document);
  if (keys.length !== 1) throw new MatcherArgumentError(`a matcher names exactly one rule, found ${keys.length ? keys.join(', ') : 'none'}; matchers: ${ruleList()}`);
  const rule = MATCHER_RULES.get(keys[0]!);
  if (!rule) throw new MatcherArgumentError(`unknown matcher "${keys[0]}"; matchers: ${ruleList()}`);
  return rule.compile((document as Record<string, unknown>)[keys[0]!]);
}
