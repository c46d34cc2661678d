import { variantRule } from '../variant-rule.js';

export const rule = variantRule('request-one-of-variant-added', 'info', 'oneOf', 'request', 'added', 'v2 accepts a new oneOf alternative.');
