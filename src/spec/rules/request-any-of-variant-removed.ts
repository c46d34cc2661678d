import { variantRule } from '../variant-rule.js';

export const rule = variantRule('request-any-of-variant-removed', 'error', 'anyOf', 'request', 'removed', 'An anyOf alternative v1 accepted is gone from v2.');
