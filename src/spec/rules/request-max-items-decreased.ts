import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-max-items-decreased', 'maxItems', 'Fewer array items are accepted, or a limit appeared.');
