import { responseBoundLoosened } from '../rule-kit.js';

export const rule = responseBoundLoosened('response-minimum-decreased', 'minimum', 'Response numbers may be smaller than v1 allowed.', 'error');
