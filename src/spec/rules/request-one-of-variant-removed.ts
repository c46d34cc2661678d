import { variantRule } from '../variant-rule.js';

export const rule = variantRule('request-one-of-variant-removed', 'error', 'oneOf', 'request', 'removed', 'A oneOf alternative v1 accepted is gone from v2.');
