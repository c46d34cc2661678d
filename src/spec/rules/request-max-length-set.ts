import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-max-length-set', 'maxLength', 'A string limit appeared where v1 had none: some v1 values may be rejected.', 'warn', 'set');
