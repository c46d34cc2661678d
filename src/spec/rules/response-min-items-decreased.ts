import { responseBoundLoosened } from '../rule-kit.js';

export const rule = responseBoundLoosened('response-min-items-decreased', 'minItems', 'Response arrays may hold fewer items than v1 allowed.', 'error');
