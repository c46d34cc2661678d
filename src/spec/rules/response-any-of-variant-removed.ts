import { variantRule } from '../variant-rule.js';

export const rule = variantRule('response-any-of-variant-removed', 'info', 'anyOf', 'response', 'removed', 'v2 no longer sends one of its anyOf alternatives.');
