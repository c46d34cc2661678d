/** The query and headers of a request target as route variants read them (lower-case header names). */
export function requestFacts(target: string, headers: Record<string, string>): { query: Record<string, string | string[]>; headers: Record<string, string> } {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const mark = target.indexOf('?');
  if (mark >= 0) {
    for (const [key, value] of new URLSearchParams(target.slice(mark + 1))) {
      const existing = query[key];
      query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return { query, headers: lower };
}
