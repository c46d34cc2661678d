import { variantRule } from '../variant-rule.js';

export const rule = variantRule('response-one-of-variant-added', 'error', 'oneOf', 'response', 'added', 'v2 may send a oneOf alternative v1 clients do not know.');
