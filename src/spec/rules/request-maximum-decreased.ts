import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-maximum-decreased', 'maximum', 'The largest accepted number got smaller.', 'error', 'changed');
