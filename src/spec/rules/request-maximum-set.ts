import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-maximum-set', 'maximum', 'A maximum appeared where v1 had none: some v1 values may be rejected.', 'warn', 'set');
