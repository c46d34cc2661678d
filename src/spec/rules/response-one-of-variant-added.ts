import { variantRule } from '../variant-rule.js';

export const rule = variantRule('response-one-of-variant-added', 'warn', 'oneOf', 'response', 'added', 'v2 may send a oneOf alternative v1 clients do not know.');
