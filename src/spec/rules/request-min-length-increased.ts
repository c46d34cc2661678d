import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-min-length-increased', 'minLength', 'The shortest accepted string got longer or a minimum appeared.');
