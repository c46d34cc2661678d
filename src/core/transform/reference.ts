import type { ExchangeContext } from '../model/exchange-context.js';
import { collect, getValue, parseFieldPath, parseMessagePath, PathSyntaxError, type ValuePath } from './path.js';

/**
 * Where a template placeholder or a condition reads from. One syntax, one meaning everywhere:
 *
 * - `body.x`, `headers.etag`, `status`, `query.page` ... the message the stage is editing;
 * - `request.query.offset`, `request.headers.if-none-match`, `request.url` ... the v1 request as
 *   the client sent it (read-only);
 * - `v2request.query.page[number]` ... the v2 request the endpoint built;
 * - `main.body.data[].id`, `<call-id>.body` ... the v2 response of the main call or a supporting call;
 * - `item.id` ... the list element a `forEach` call or a list op is working on.
 *
 * A path with `[]` reads every value it reaches, as a list.
 */
export type Reader = (message: unknown, context?: ExchangeContext) => unknown;

export interface CompiledReference {
  text: string;
  /** `message`, `request`, `v2request`, `item`, or the name of a call response. */
  scope: string;
  read: Reader;
}

const MESSAGE_SECTION = /^(method|path|status|params|query|headers|body)(?![\w-])/;
/** Names a call may not take, because references would be ambiguous. */
export const RESERVED_SCOPES: ReadonlySet<string> = new Set(['request', 'v2request', 'item', 'method', 'path', 'status', 'params', 'query', 'headers', 'body']);

export function compileReference(text: string): CompiledReference {
  const trimmed = text.trim();
  if (trimmed === '') throw new PathSyntaxError(text, 'a reference cannot be empty');
  if (MESSAGE_SECTION.test(trimmed)) return { text: trimmed, scope: 'message', read: readerFor(parseMessagePath(trimmed), (message) => message) };
  const dot = trimmed.indexOf('.');
  const head = dot < 0 ? trimmed : trimmed.slice(0, dot);
  const rest = dot < 0 ? '' : trimmed.slice(dot + 1);
  if (head === 'request') {
    if (rest === 'url') return { text: trimmed, scope: 'request', read: (_message, context) => context?.request.url };
    if (rest === '') return { text: trimmed, scope: 'request', read: (_message, context) => context?.request };
    return { text: trimmed, scope: 'request', read: readerFor(parseMessagePath(rest), (_message, context) => context?.request) };
  }
  if (head === 'v2request') {
    if (rest === '') throw new PathSyntaxError(text, 'name a part of the v2 request, e.g. v2request.query.limit');
    return { text: trimmed, scope: 'v2request', read: readerFor(parseMessagePath(rest), (_message, context) => context?.v2Request) };
  }
  if (head === 'item') {
    const source = (_message: unknown, context?: ExchangeContext) => context?.item;
    if (rest === '') return { text: trimmed, scope: 'item', read: source };
    return { text: trimmed, scope: 'item', read: readerFor(parseFieldPath(rest), source) };
  }
  if (dot > 0 && MESSAGE_SECTION.test(rest)) {
    const name = head;
    return { text: trimmed, scope: name, read: readerFor(parseMessagePath(rest), (_message, context) => context?.responses[name]) };
  }
  // A bare field path reads the message itself (`id`, `data[].id`), as inside a resource.
  return { text: trimmed, scope: 'message', read: readerFor(parseFieldPath(trimmed), (message) => message) };
}

function readerFor(path: ValuePath, source: Reader): Reader {
  if (path.wildcards === 0) return (message, context) => getValue(source(message, context), path);
  return (message, context) => collect(source(message, context), path).map((found) => found.value);
}

const OWN_SCOPES: ReadonlySet<string> = new Set(['message', 'request', 'v2request', 'item']);

/** The call (or `main`) whose response a reference reads, if it reads one: what a call must wait for. */
export function responseScopeOf(text: string): string | undefined {
  try {
    const { scope } = compileReference(text);
    return OWN_SCOPES.has(scope) ? undefined : scope;
  } catch {
    // Reported where the reference is compiled.
    return undefined;
  }
}
