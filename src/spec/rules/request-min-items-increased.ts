import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-min-items-increased', 'minItems', 'More array items are needed than v1 asked for.', 'error', 'changed');
