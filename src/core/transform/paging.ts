import { CompatError, TransformError } from '../errors.js';
import type { ExchangeContext, RequestView } from '../model/exchange-context.js';
import { getValue, isRecord, parseMessagePath, setValue, type ValuePath } from './path.js';

/**
 * Pagination conversion, declared once per endpoint (`paging:`) and applied both ways: the
 * v1 paging parameters the client sent become v2's, and v2's page becomes the window v1 would
 * have answered, with an RFC 8288 `Link` header (https://www.rfc-editor.org/rfc/rfc8288) and a
 * total-count header.
 *
 *     paging:
 *       v1: { offset: offset, limit: limit, page: page, size: per_page }   # either style, or both
 *       size: { default: 10, max: 100 }
 *       v2: { page: "page[number]", size: "page[size]" }                    # or { offset, limit }, or fetchAll
 *       items: body.data
 *       total: body.meta.total
 *       link: { rels: [first, prev, next, last] }
 *       totalHeader: X-Total-Count
 */
export interface PagingDocument {
  v1: { offset?: string; limit?: string; page?: string; size?: string; default?: 'offset' | 'page'; mixed?: 'page' | 'reject'; mixedMessage?: string };
  size?: { default?: number; max?: number; overMax?: 'clamp' | 'reject' };
  v2: { offset?: string; limit?: string; page?: string; size?: string; maxSize?: number; fetchAll?: number };
  items?: string;
  total?: string;
  link?: boolean | { rels?: Rel[]; always?: Rel[] };
  totalHeader?: string;
}

type Rel = 'first' | 'prev' | 'next' | 'last';
const RELS: readonly Rel[] = ['first', 'prev', 'next', 'last'];

/** The window a v1 client asked for, in the style it asked in. */
export interface Window {
  style: 'offset' | 'page';
  offset: number;
  limit: number;
  /** 1-based, page style only. */
  page: number;
}

export interface CompiledPaging {
  description: string;
  /** Reads the v1 window from the request, removes v1's paging parameters, writes v2's. */
  toV2(message: unknown, context?: ExchangeContext): unknown;
  /** Cuts v2's page down to the v1 window and writes the Link and total headers. */
  toV1(message: unknown, context?: ExchangeContext, at?: ValuePath): unknown;
  v1Names: string[];
  v2Names: string[];
  items: ValuePath;
}

export class PagingError extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

export function compilePaging(document: unknown): CompiledPaging {
  if (!isRecord(document)) throw new PagingError('', 'paging is an object with v1, v2 and items');
  const doc = document as unknown as PagingDocument;
  const v1 = isRecord(doc.v1) ? doc.v1 : undefined;
  const v2 = isRecord(doc.v2) ? doc.v2 : undefined;
  if (!v1 || !((v1.offset && v1.limit) || (v1.page && v1.size))) throw new PagingError('/v1', 'v1 names the client\'s paging parameters: { offset: offset, limit: limit } and/or { page: page, size: per_page }');
  if (!v2 || !((v2.offset && v2.limit) || v2.size)) throw new PagingError('/v2', 'v2 names v2\'s paging parameters: { page: "page[number]", size: "page[size]" } or { offset: offset, limit: limit }, optionally fetchAll: 1000');
  const defaultSize = doc.size?.default ?? 10;
  const maxSize = doc.size?.max ?? 100;
  const overMax = doc.size?.overMax ?? 'clamp';
  if (!Number.isInteger(defaultSize) || defaultSize < 1 || !Number.isInteger(maxSize) || maxSize < defaultSize) throw new PagingError('/size', 'size.default and size.max are whole numbers with 1 <= default <= max');
  if (v2.fetchAll !== undefined && (!Number.isInteger(v2.fetchAll) || v2.fetchAll < 1)) throw new PagingError('/v2/fetchAll', 'fetchAll is the page size that fetches every item at once, e.g. 1000');
  const items = parseMessagePath(doc.items ?? 'body');
  if (items.wildcards > 0) throw new PagingError('/items', '"items" names one list (no [])');
  const total = doc.total === undefined ? undefined : parseMessagePath(doc.total);
  const totalHeader = doc.totalHeader?.toLowerCase();
  const link = doc.link === undefined || doc.link === false ? undefined : doc.link === true ? {} : doc.link;
  const rels = link?.rels ?? [...RELS];
  const always = new Set<Rel>(link?.always ?? ['first', 'last']);
  for (const rel of [...rels, ...always]) if (!RELS.includes(rel)) throw new PagingError('/link', `"${rel}" is not a paging relation; use first, prev, next, last`);

  const v1Names = [v1.offset, v1.limit, v1.page, v1.size].filter((name): name is string => !!name);
  const v2Names = [v2.offset, v2.limit, v2.page, v2.size].filter((name): name is string => !!name);

  const windowOf = (request: RequestView | undefined): Window => {
    const query = request?.query ?? {};
    const read = (name: string | undefined, min: number, limit?: number): number | undefined => {
      if (!name) return undefined;
      const raw = query[name];
      if (raw === undefined || raw === '') return undefined;
      const text = String(Array.isArray(raw) ? raw[0] : raw).trim();
      const number = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(number) || number < min || (limit !== undefined && number > limit)) {
        const message = limit === undefined ? `${name} must be an integer >= ${min}` : `${name} must be an integer from ${min} to ${limit}`;
        throw new CompatError('invalid-query-value', message, { parameter: name, value: text });
      }
      return number;
    };
    const size = (name: string | undefined): number => {
      const asked = read(name, 1, overMax === 'reject' ? maxSize : undefined) ?? defaultSize;
      if (asked <= maxSize) return asked;
      if (overMax === 'reject') throw new CompatError('invalid-query-value', `${name} may be at most ${maxSize}`, { parameter: name });
      return maxSize;
    };
    const sent = (name: string | undefined) => !!name && query[name] !== undefined;
    const pageSent = sent(v1.page) || sent(v1.size);
    const offsetSent = sent(v1.offset) || sent(v1.limit);
    if (pageSent && offsetSent && v1.mixed === 'reject') {
      const names = `${v1.offset}/${v1.limit} or ${v1.page}/${v1.size}`;
      throw new CompatError('invalid-query-value', v1.mixedMessage ?? `use either ${names}, not both`, { parameter: v1.page });
    }
    const pageStyle = !!v1.page && (pageSent || (!offsetSent && (v1.default === 'page' || !v1.offset)));
    if (pageStyle) {
      const limit = size(v1.size);
      const page = read(v1.page, 1) ?? 1;
      return { style: 'page', page, limit, offset: (page - 1) * limit };
    }
    const limit = size(v1.limit);
    const offset = read(v1.offset, 0) ?? 0;
    return { style: 'offset', offset, limit, page: Math.floor(offset / limit) + 1 };
  };

  /** The v2 page that holds the whole window, and where the window starts in it. */
  const v2PageOf = (window: Window): { page: number; size: number; skip: number } => {
    if (v2.fetchAll) return { page: 1, size: v2.fetchAll, skip: window.offset };
    const largest = Math.min(window.offset + window.limit, v2.maxSize ?? Number.MAX_SAFE_INTEGER);
    for (let size = window.limit; size <= largest; size++) {
      const first = Math.floor(window.offset / size);
      if (first === Math.floor((window.offset + window.limit - 1) / size)) return { page: first + 1, size, skip: window.offset - first * size };
    }
    // No single v2 page holds the window within v2's size limit: take the page of its start.
    const size = Math.max(window.limit, Math.min(v2.maxSize ?? window.limit, window.limit));
    const first = Math.floor(window.offset / size);
    return { page: first + 1, size, skip: window.offset - first * size };
  };

  return {
    description: `Paging: v1 ${v1.offset ? `${v1.offset}/${v1.limit}` : ''}${v1.offset && v1.page ? ' or ' : ''}${v1.page ? `${v1.page}/${v1.size}` : ''} (default ${defaultSize}, at most ${maxSize}) becomes v2 ${v2.fetchAll ? `one page of ${v2.fetchAll} cut down by the gateway` : v2.offset ? `${v2.offset}/${v2.limit}` : `${v2.page}/${v2.size}`}${link ? ', with a Link header' : ''}${totalHeader ? ` and ${doc.totalHeader}` : ''}.`,
    v1Names,
    v2Names,
    items,
    toV2(message, context) {
      const window = windowOf(context?.request);
      if (!isRecord(message)) return message;
      const query = (isRecord(message.query) ? message.query : (message.query = {})) as Record<string, unknown>;
      for (const name of v1Names) delete query[name];
      if (v2.offset && v2.limit && !v2.fetchAll) {
        query[v2.offset] = String(window.offset);
        query[v2.limit] = String(window.limit);
      } else {
        const page = v2PageOf(window);
        if (v2.page) query[v2.page] = String(page.page);
        else if (v2.offset) query[v2.offset] = '0';
        query[v2.size ?? v2.limit!] = String(page.size);
      }
      return message;
    },
    toV1(message, context, at = items) {
      const window = windowOf(context?.request);
      const list = getValue(message, at);
      if (!Array.isArray(list)) throw new TransformError(`v2 answered without a list at ${at.text} to page`, at.text);
      const stated = total ? getValue(message, total) : undefined;
      if (total && stated !== undefined && typeof stated !== 'number') throw new TransformError(`the v2 total at ${total.text} is not a number`, total.text);
      let count: number;
      let windowed: unknown[];
      if (v2.fetchAll) {
        // Judged by v2's total, not by the list's length: steps before `paginate` (a filter) may
        // have shortened the list, which would hide that v2 held items the gateway never fetched.
        if (typeof stated === 'number' && stated > v2.fetchAll && stated > list.length) {
          throw new TransformError(`v2 holds ${stated} items, more than the ${v2.fetchAll} fetchAll asks for at once; raise fetchAll`, at.text);
        }
        count = list.length;
        windowed = list.slice(window.offset, window.offset + window.limit);
      } else if (v2.offset && v2.limit) {
        count = typeof stated === 'number' ? stated : window.offset + list.length;
        windowed = list.slice(0, window.limit);
      } else {
        const { skip } = v2PageOf(window);
        count = typeof stated === 'number' ? stated : window.offset + list.length;
        windowed = list.slice(skip, skip + window.limit);
      }
      const result = setValue(message, at, windowed);
      if (!isRecord(result)) return result;
      const headers = (isRecord(result.headers) ? result.headers : (result.headers = {})) as Record<string, unknown>;
      if (totalHeader) headers[totalHeader] = String(count);
      if (link && context?.request.url) {
        const value = linkHeader(context.request.url, window, count, { rels, always, names: v1 });
        if (value) headers.link = value;
      }
      return result;
    },
  };
}

/** `<url>; rel="first", <url>; rel="next"`, with only the paging parameters of the URL changed. */
function linkHeader(url: string, window: Window, count: number, options: { rels: readonly Rel[]; always: ReadonlySet<Rel>; names: PagingDocument['v1'] }): string | undefined {
  const lastPage = Math.max(1, Math.ceil(count / window.limit));
  const lastOffset = Math.max(0, (lastPage - 1) * window.limit);
  const targets: Partial<Record<Rel, number>> = {};
  if (window.style === 'page') {
    targets.first = 1;
    if (window.page > 1) targets.prev = Math.min(window.page - 1, lastPage);
    if (window.page < lastPage) targets.next = window.page + 1;
    targets.last = lastPage;
  } else {
    targets.first = 0;
    if (window.offset > 0) targets.prev = Math.min(Math.max(0, window.offset - window.limit), lastOffset);
    if (window.offset + window.limit < count) targets.next = window.offset + window.limit;
    targets.last = lastOffset;
  }
  const parts = options.rels.flatMap((rel) => {
    const target = targets[rel];
    if (target === undefined) return [];
    if ((rel === 'first' || rel === 'last') && !options.always.has(rel) && target === (window.style === 'page' ? window.page : window.offset)) return [];
    const values: Array<[string, string]> =
      window.style === 'page'
        ? [
            [options.names.page!, String(target)],
            [options.names.size!, String(window.limit)],
          ]
        : [
            [options.names.offset!, String(target)],
            [options.names.limit!, String(window.limit)],
          ];
    return [`<${withQuery(url, values)}>; rel="${rel}"`];
  });
  return parts.length ? parts.join(', ') : undefined;
}

/** The URL with these query parameters set in place (kept in the client's order), others untouched. */
function withQuery(url: string, values: Array<[string, string]>): string {
  const mark = url.indexOf('?');
  const base = mark < 0 ? url : url.slice(0, mark);
  const pairs = mark < 0 ? [] : url.slice(mark + 1).split('&').filter(Boolean);
  const pending = new Map(values);
  const out = pairs.map((pair) => {
    const name = decodeURIComponent((pair.split('=', 1)[0] ?? '').replace(/\+/g, ' '));
    if (!pending.has(name)) return pair;
    const value = pending.get(name)!;
    pending.delete(name);
    return `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  });
  for (const [name, value] of pending) out.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  return `${base}?${out.join('&')}`;
}
