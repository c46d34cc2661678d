import { variantRule } from '../variant-rule.js';

export const rule = variantRule('response-any-of-variant-added', 'warn', 'anyOf', 'response', 'added', 'v2 may send an anyOf alternative v1 clients do not know.');
