import { variantRule } from '../variant-rule.js';

export const rule = variantRule('response-one-of-variant-removed', 'info', 'oneOf', 'response', 'removed', 'v2 no longer sends one of its oneOf alternatives.');
