import { responseBoundLoosened } from '../rule-kit.js';

export const rule = responseBoundLoosened('response-max-items-increased', 'maxItems', 'Response arrays may hold more items than v1 allowed.');
