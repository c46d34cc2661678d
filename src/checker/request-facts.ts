import { parseQuery } from '../server/message-io.js';

/** The query and headers of a request target as route variants read them, parsed as the gateway parses them. */
export function requestFacts(target: string, headers: Record<string, string>): { query: Record<string, string | string[]>; headers: Record<string, string> } {
  const mark = target.indexOf('?');
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return { query: parseQuery(mark < 0 ? '' : target.slice(mark)), headers: lower };
}
