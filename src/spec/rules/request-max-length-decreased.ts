import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-max-length-decreased', 'maxLength', 'A string limit got shorter: v2 rejects longer strings v1 accepted.', 'error', 'changed');
