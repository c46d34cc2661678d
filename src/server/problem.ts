// The problem documents are data shared with the pure core (the mapping may render them in v1's
// error shape); the server keeps importing them from here.
export { PROBLEM_CONTENT_TYPE, problemBody, problemFromError, problemTypeUri } from '../core/problem.js';
