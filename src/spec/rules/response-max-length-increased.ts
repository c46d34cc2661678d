import { responseBoundLoosened } from '../rule-kit.js';

export const rule = responseBoundLoosened('response-max-length-increased', 'maxLength', 'Response strings may be longer than v1 allowed.', 'error');
