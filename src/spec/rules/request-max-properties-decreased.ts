import { requestBoundTightened } from '../rule-kit.js';

export const rule = requestBoundTightened('request-max-properties-decreased', 'maxProperties', 'Fewer object properties are accepted, or a limit appeared.');
