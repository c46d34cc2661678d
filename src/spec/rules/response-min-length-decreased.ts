import { responseBoundLoosened } from '../rule-kit.js';

export const rule = responseBoundLoosened('response-min-length-decreased', 'minLength', 'Response strings may be shorter than v1 allowed.', 'error');
