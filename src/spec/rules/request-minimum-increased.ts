import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-minimum-increased', 'minimum', 'The smallest accepted number got larger.', 'error', 'changed');
