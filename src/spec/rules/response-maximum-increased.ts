import { responseBoundLoosened } from '../rule-kit.js';

export const rule = responseBoundLoosened('response-maximum-increased', 'maximum', 'Response numbers may be larger than v1 allowed.', 'error');
