import { closestWord } from '../spelling.js';
import { HOP_BY_HOP_FIELDS, RECOMPUTED_FIELDS } from '../model/header-fields.js';
import { isRecord } from '../transform/path.js';
import { PolicyError } from './http-policy.js';

/**
 * Which of the client's headers go to v2, as data: the mapping's `upstreamHeaders:`, overridden
 * key by key per endpoint.
 *
 *     upstreamHeaders:
 *       allow: [accept, accept-language, x-tenant-*, authorization]   # only these (patterns end in *)
 *       deny: [x-debug-*]                                             # never these
 *
 * Credentials (`Authorization`, `Cookie`) go only when `allow` names them exactly: no pattern,
 * `*` included, matches them, the way the Fetch standard's `Access-Control-Allow-Headers: *`
 * leaves `Authorization` out. The headers the gateway itself decides (X-Forwarded-*,
 * X-Request-Id, the body's Content-Type and Content-Encoding, Accept-Encoding) always go.
 * Compiled once per endpoint; per request it is a few Set lookups per header.
 */
export interface UpstreamHeaderPolicy {
  /** The lists as written, after inheritance: `allow` absent means every header but credentials. */
  readonly allow?: readonly string[];
  readonly deny: readonly string[];
  /** Whether a client header (lower-case name) reaches v2. */
  forwards(name: string): boolean;
  /** Deletes, in place, the client headers that must not reach v2. */
  strip(headers: Record<string, unknown>): void;
}

/** Credentials: forwarded only when `allow` names them, never by default or by a pattern. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie']);

/** Set by the gateway on every v2 request, or part of the body it sends: never the lists' to remove. */
const GATEWAY_DECIDED: ReadonlySet<string> = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'content-type', 'content-encoding', 'accept-encoding']);

const NEVER_FORWARDED: ReadonlySet<string> = new Set<string>([...HOP_BY_HOP_FIELDS, ...RECOMPUTED_FIELDS]);

/** Names close to these are likely typos of them ("autorization"): said at load, not discovered in production. */
const WELL_KNOWN = ['authorization', 'cookie', 'accept', 'accept-language', 'user-agent', 'if-none-match', 'if-match', 'if-modified-since', 'x-request-id', 'x-forwarded-for', 'x-api-key', 'x-client-id'];

// RFC 9110 section 5.6.2: a field name is a token; a trailing `*` makes it a prefix pattern.
const ENTRY = /^[!#$%&'+.^_`|~0-9a-z-]*\*?$/;

interface Entries {
  exact: Set<string>;
  prefixes: string[];
  /** Each entry as written, lower-cased, with where it came from. */
  written: Array<{ text: string; at: string; own: boolean }>;
}

export const DEFAULT_UPSTREAM_HEADERS: UpstreamHeaderPolicy = buildPolicy(undefined, { exact: new Set(), prefixes: [], written: [] });

/**
 * Compiles `upstreamHeaders:`; `inherited` is the mapping's policy when compiling an endpoint's.
 * Throws a PolicyError (pointer below `upstreamHeaders`) for a name HTTP cannot carry, a name the
 * lists cannot affect, a likely typo, or an allowed entry a deny entry cancels.
 */
export function compileUpstreamHeaders(document: unknown, inherited: UpstreamHeaderPolicy = DEFAULT_UPSTREAM_HEADERS): UpstreamHeaderPolicy {
  if (document === undefined) return inherited;
  if (!isRecord(document)) throw new PolicyError('', 'upstreamHeaders is an object: { allow: [names], deny: [names] }');
  for (const key of Object.keys(document)) {
    if (key !== 'allow' && key !== 'deny') throw new PolicyError(`/${key}`, `upstreamHeaders takes allow and deny, not "${key}"`);
  }
  const allow = document.allow !== undefined ? entriesOf(document.allow, 'allow', true) : inherited.allow ? entriesOf(inherited.allow, 'allow', false) : undefined;
  const deny = document.deny !== undefined ? entriesOf(document.deny, 'deny', true) : entriesOf(inherited.deny, 'deny', false);
  if (allow) checkNoContradiction(allow, deny);
  return buildPolicy(allow, deny);
}

function entriesOf(value: unknown, list: 'allow' | 'deny', own: boolean): Entries {
  if (!Array.isArray(value)) throw new PolicyError(`/${list}`, `${list} is a list of header names, e.g. [accept, x-tenant-*]`);
  const entries: Entries = { exact: new Set(), prefixes: [], written: [] };
  value.forEach((item, index) => {
    const at = `/${list}/${index}`;
    if (typeof item !== 'string' || item === '') throw new PolicyError(at, `${list} entries are header names such as x-tenant-id, or prefixes ending in * such as x-tenant-*`);
    const text = item.toLowerCase();
    if (own) checkEntry(text, item, at, list);
    entries.written.push({ text, at, own });
    if (text.endsWith('*')) entries.prefixes.push(text.slice(0, -1));
    else entries.exact.add(text);
  });
  return entries;
}

function checkEntry(text: string, item: string, at: string, list: 'allow' | 'deny'): void {
  if (!ENTRY.test(text)) {
    throw new PolicyError(at, `"${item}" is not a header name: use letters, digits and - (RFC 9110 section 5.6.2), with * only at the end as a prefix pattern (x-tenant-*)`);
  }
  if (NEVER_FORWARDED.has(text)) {
    throw new PolicyError(at, `"${item}" is never forwarded: it is hop-by-hop or recomputed for each hop (RFC 9110 section 7.6.1); remove it from ${list}`);
  }
  if (list === 'deny' && GATEWAY_DECIDED.has(text)) {
    throw new PolicyError(at, `"${item}" is set by the gateway on every v2 request (or describes the body it sends), so it cannot be denied; remove it from deny`);
  }
  if (text.endsWith('*')) return;
  const known = WELL_KNOWN.includes(text) ? undefined : closestWord(text, WELL_KNOWN);
  if (known) throw new PolicyError(at, `"${item}" is not a header the gateway knows; did you mean "${known}"?`);
}

/** An allowed entry that a deny entry covers entirely would never take effect: say so rather than guess. */
function checkNoContradiction(allow: Entries, deny: Entries): void {
  for (const allowed of allow.written) {
    const isPattern = allowed.text.endsWith('*');
    const allowedText = isPattern ? allowed.text.slice(0, -1) : allowed.text;
    for (const denied of deny.written) {
      if (!allowed.own && !denied.own) continue; // both inherited: reported where they were written
      const covers = denied.text.endsWith('*')
        ? !CREDENTIAL_HEADERS.has(allowedText) && allowedText.startsWith(denied.text.slice(0, -1))
        : !isPattern && denied.text === allowedText;
      if (!covers) continue;
      const at = allowed.own ? allowed.at : denied.at;
      const where = allowed.own && denied.own ? `deny entry "${denied.text}"` : allowed.own ? `the mapping's deny entry "${denied.text}"` : `"${denied.text}" here`;
      throw new PolicyError(
        at,
        allowed.own
          ? `allow entry "${allowed.text}" is cancelled by ${where}: a header cannot be both allowed and denied; remove one of them`
          : `deny entry ${where} cancels the mapping's allow entry "${allowed.text}": a header cannot be both allowed and denied; remove one, or give this endpoint its own allow`,
      );
    }
  }
}

function matchesPrefix(name: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (name.startsWith(prefix)) return true;
  return false;
}

function buildPolicy(allow: Entries | undefined, deny: Entries): UpstreamHeaderPolicy {
  const lists = { ...(allow ? { allow: allow.written.map((entry) => entry.text) } : {}), deny: deny.written.map((entry) => entry.text) };
  const strippedCredentials = [...CREDENTIAL_HEADERS].filter((name) => !allow?.exact.has(name));
  if (!allow && deny.written.length === 0) {
    // The default, and nearly every endpoint: everything end-to-end but the credentials.
    return {
      ...lists,
      forwards: (name) => GATEWAY_DECIDED.has(name) || !CREDENTIAL_HEADERS.has(name) || !strippedCredentials.includes(name),
      strip(headers) {
        // A delete only where there is something to delete: most requests carry no credential.
        for (const name of strippedCredentials) if (headers[name] !== undefined) delete headers[name];
      },
    };
  }
  const forwards = (name: string): boolean => {
    if (GATEWAY_DECIDED.has(name)) return true;
    if (CREDENTIAL_HEADERS.has(name)) return allow?.exact.has(name) === true;
    if (deny.exact.has(name) || matchesPrefix(name, deny.prefixes)) return false;
    return !allow || allow.exact.has(name) || matchesPrefix(name, allow.prefixes);
  };
  return {
    ...lists,
    forwards,
    strip(headers) {
      for (const name in headers) if (!forwards(name)) delete headers[name];
    },
  };
}
