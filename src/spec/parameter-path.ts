import type { SpecParameter } from './model.js';

/** Where a parameter sits in a message as mappings address it: `params.id`, `query.q`, `headers.x-key`, `cookies.sid`. */
export function parameterPath(parameter: Pick<SpecParameter, 'in' | 'name'>): string {
  const prefix = { path: 'params', query: 'query', header: 'headers', cookie: 'cookies' }[parameter.in];
  return `${prefix}.${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
}
