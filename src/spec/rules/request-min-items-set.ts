import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-min-items-set', 'minItems', 'A minimum number of array items appeared where v1 had none.', 'warn', 'set');
