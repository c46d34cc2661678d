import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-min-items-increased', 'minItems', 'More array items are needed, or a minimum appeared.');
