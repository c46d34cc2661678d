import { variantRule } from '../variant-rule.js';

export const rule = variantRule('request-any-of-variant-added', 'info', 'anyOf', 'request', 'added', 'v2 accepts a new anyOf alternative.');
