import type { MatcherRule } from '../matcher.js';
import { prefix } from './prefix.js';
import { regex } from './regex.js';
import { timestampWindow } from './timestamp-window.js';
import { tolerance } from './tolerance.js';
import { typeOnly } from './type-only.js';
import { unordered } from './unordered.js';

/** Every matcher rule, keyed by the word that names it in a `match:` entry. */
export const MATCHER_RULES: ReadonlyMap<string, MatcherRule> = new Map([typeOnly, regex, prefix, tolerance, timestampWindow, unordered].map((rule) => [rule.key, rule]));
