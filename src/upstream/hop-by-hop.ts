import { HOP_BY_HOP_FIELDS, RECOMPUTED_FIELDS } from '../core/model/header-fields.js';

/** Hop-by-hop fields (RFC 9110 section 7.6.1) and those recomputed per hop: never forwarded. */
const NOT_FORWARDED = new Set<string>([...HOP_BY_HOP_FIELDS, ...RECOMPUTED_FIELDS]);

/** Runs on every request and response: one pass, and nothing allocated but the result for the usual `Connection` values. */
export function forwardableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const connection = headers.connection;
  const connectionListed = connection === undefined || connection === '' ? undefined : extraConnectionTokens(String(connection));
  // Null prototype: a field named `__proto__` or `constructor` stays a field (and, being no
  // standard field, is forwarded as one).
  const result = Object.create(null) as Record<string, string | string[]>;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (NOT_FORWARDED.has(lower) || connectionListed?.has(lower)) continue;
    result[lower] = value;
  }
  return result;
}

const parsedConnectionValues = new Map<string, Set<string> | undefined>();

/**
 * Field names a `Connection` value lists beyond those never forwarded anyway, or undefined when
 * there are none (`keep-alive`, `close`: nearly every request). Parsed values are remembered, as
 * clients send the same few over and over.
 */
function extraConnectionTokens(value: string): Set<string> | undefined {
  const known = parsedConnectionValues.get(value);
  if (known !== undefined || parsedConnectionValues.has(value)) return known;
  const tokens = new Set<string>();
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name && !NOT_FORWARDED.has(name)) tokens.add(name);
  }
  const result = tokens.size > 0 ? tokens : undefined;
  // Bounded: a client inventing a new value per request must not grow memory.
  if (parsedConnectionValues.size >= 64) parsedConnectionValues.clear();
  parsedConnectionValues.set(value, result);
  return result;
}
