import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ProductRow, ReviewRow, VendorRow } from './seed.js';
import { withQueryParameters } from './query-string.js';
import { CatalogStore, sortRows, type NewProductRow, type SortKey } from './store.js';

/*
 * The legacy v1 catalog service of the second bundled example: bare JSON arrays with X-Total-Count
 * and an RFC 8288 Link header, offset/limit or page/per_page paging, json-server style filters
 * (`price_gte`, `name_like`, `vendor_id`, `tag`), full-text `q`, `embed=reviews` and
 * `expand=vendor`, strong ETags on product reads, an allow-list CORS policy with credentials,
 * X-HTTP-Method-Override, a cascading delete, and `{ "error", "status" }` errors.
 * Everything lives in memory and POST /__reset restores the seed.
 */

export interface Product {
  id: number;
  name: string;
  description: string;
  price: number;
  currency: string;
  vendor_id: number;
  tags: string[];
  in_stock: boolean;
  created_at: string;
  updated_at: string;
  vendor?: Vendor;
  reviews?: Review[];
}

export interface Review {
  id: number;
  product_id: number;
  author: string;
  rating: number;
  comment: string;
  created_at: string;
}

export interface Vendor {
  id: number;
  name: string;
  country: string;
  email: string;
  created_at: string;
}

export interface V1ServiceOptions {
  /** Browser origins allowed to call the API with credentials (CORS). */
  allowedOrigins?: readonly string[];
}

export interface V1Service {
  app: Hono;
  reset(): void;
}

export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = ['https://shop.example.com', 'https://admin.example.com'];

const JSON_TYPE = 'application/json; charset=utf-8';
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;
const OVERRIDABLE_METHODS = ['PUT', 'PATCH', 'DELETE'];
const EXPOSED_HEADERS = 'X-Total-Count, Link, ETag, Location';
const ALLOWED_REQUEST_HEADERS = 'Content-Type, If-None-Match, X-HTTP-Method-Override';

/** Every route and its methods: the source of `Allow`, of 405 answers and of CORS preflights. */
const ROUTES: readonly { pattern: RegExp; methods: readonly string[] }[] = [
  { pattern: /^\/products$/, methods: ['GET', 'HEAD', 'POST'] },
  { pattern: /^\/products\/[^/]+$/, methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'] },
  { pattern: /^\/products\/[^/]+\/reviews$/, methods: ['GET', 'HEAD', 'POST'] },
  { pattern: /^\/reviews\/[^/]+$/, methods: ['GET', 'HEAD'] },
  { pattern: /^\/vendors$/, methods: ['GET', 'HEAD'] },
  { pattern: /^\/vendors\/[^/]+$/, methods: ['GET', 'HEAD'] },
];

const PRODUCT_SORT_FIELDS: Record<string, (row: ProductRow) => string | number> = {
  id: (row) => row.id,
  name: (row) => row.name,
  price: (row) => row.price_cents,
  created_at: (row) => row.created_at,
  updated_at: (row) => row.updated_at,
};
const REVIEW_SORT_FIELDS: Record<string, (row: ReviewRow) => string | number> = {
  id: (row) => row.id,
  rating: (row) => row.rating,
  created_at: (row) => row.created_at,
};
const VENDOR_SORT_FIELDS: Record<string, (row: VendorRow) => string | number> = {
  id: (row) => row.id,
  name: (row) => row.name,
  country: (row) => row.country,
};

type JsonObject = Record<string, unknown>;

/** A failure reported to the caller as `{ "error": message, "status": status }`. */
class ApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 422,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new ApiError(400, message);
const unprocessable = (message: string) => new ApiError(422, message);
const notFound = (message: string) => new ApiError(404, message);

export function createV1Service(options: V1ServiceOptions = {}): V1Service {
  const store = new CatalogStore();
  const allowedOrigins = new Set(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS);

  const app = new Hono();
  // CORS runs first so that an override's own errors carry CORS headers too.
  app.use(corsPolicy(allowedOrigins));
  app.use(methodOverride(app));
  app.post('/__reset', (c) => {
    store.reset();
    return c.body(null, 204);
  });
  registerProductRoutes(app, store);
  registerReviewRoutes(app, store);
  registerVendorRoutes(app, store);

  app.notFound((c) => {
    const route = findRoute(c.req.path);
    if (!route) return sendError(c, notFound(`no route for ${c.req.method} ${c.req.path}`));
    return sendError(c, new ApiError(405, `method ${c.req.method} is not allowed on ${c.req.path}`, { Allow: route.methods.join(', ') }));
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return sendError(c, error);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return c.body(JSON.stringify({ error: 'internal server error', status: 500 }), 500, { 'Content-Type': JSON_TYPE });
  });

  return { app, reset: () => store.reset() };
}

/**
 * Clients that cannot send PUT, PATCH or DELETE (old proxies, HTML forms) send a POST with
 * `X-HTTP-Method-Override`; the request is then dispatched again as that method.
 */
function methodOverride(app: Hono): MiddlewareHandler {
  return async (c, next) => {
    const override = c.req.header('x-http-method-override');
    if (c.req.method !== 'POST' || override === undefined) return next();
    const method = override.trim().toUpperCase();
    if (!OVERRIDABLE_METHODS.includes(method)) {
      throw badRequest(`X-HTTP-Method-Override must be one of ${OVERRIDABLE_METHODS.join(', ')}, not "${override}"`);
    }
    const headers = new Headers(c.req.raw.headers);
    headers.delete('x-http-method-override');
    const body = await c.req.raw.arrayBuffer();
    return app.fetch(new Request(c.req.url, { method, headers, body: method === 'DELETE' && body.byteLength === 0 ? undefined : body }));
  };
}

/**
 * CORS (https://fetch.spec.whatwg.org/#http-cors-protocol) for an allow-list of origins with
 * credentials: an allowed Origin is reflected, never `*` (credentials forbid it), and every answer
 * varies by Origin. A preflight from an unknown origin gets no CORS headers, so the browser stops.
 */
function corsPolicy(allowedOrigins: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && allowedOrigins.has(origin);

    if (c.req.method === 'OPTIONS') {
      const route = findRoute(c.req.path);
      if (!route) throw notFound(`no route for OPTIONS ${c.req.path}`);
      const headers: Record<string, string> = { Allow: [...route.methods, 'OPTIONS'].join(', '), Vary: 'Origin' };
      const isPreflight = c.req.header('access-control-request-method') !== undefined;
      if (allowed && isPreflight) {
        Object.assign(headers, {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Credentials': 'true',
          'Access-Control-Allow-Methods': route.methods.join(', '),
          'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS,
          'Access-Control-Max-Age': '600',
        });
      }
      return c.body(null, 204, headers);
    }

    await next();
    // An overridden request went through this policy once already; say Origin only once.
    if (!/\bOrigin\b/i.test(c.res.headers.get('Vary') ?? '')) c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Allow-Credentials', 'true');
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
  };
}

function registerProductRoutes(app: Hono, store: CatalogStore): void {
  app.get('/products', (c) => {
    const query = new URL(c.req.url).searchParams;
    const paging = readPaging(query);
    const keys = readSort(query, PRODUCT_SORT_FIELDS);
    const matches = sortRows([...store.products.values()].filter(productFilter(query)), keys);
    const include = readInclusions(query);
    const page = matches.slice(paging.offset, paging.offset + paging.limit).map((row) => toProduct(store, row, include));
    return sendList(c, page, matches.length, paging);
  });

  app.post('/products', async (c) => {
    const row = store.addProduct(parseProduct(store, await readJsonObject(c)));
    return sendJson(c, toProduct(store, row), 201, { Location: `/products/${row.id}` });
  });

  app.get('/products/:id', (c) => {
    const row = getProduct(store, c.req.param('id'));
    const include = readInclusions(new URL(c.req.url).searchParams);
    const bodyText = JSON.stringify(toProduct(store, row, include));
    // A strong validator over the exact bytes sent (RFC 9110 section 8.8.3).
    const etag = `"${createHash('sha256').update(bodyText).digest('base64url')}"`;
    if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ETag: etag });
    return c.body(bodyText, 200, { 'Content-Type': JSON_TYPE, ETag: etag });
  });

  app.put('/products/:id', async (c) => {
    const row = getProduct(store, c.req.param('id'));
    store.updateProduct(row, parseProduct(store, await readJsonObject(c)));
    return sendJson(c, toProduct(store, row), 200);
  });

  app.patch('/products/:id', async (c) => {
    const row = getProduct(store, c.req.param('id'));
    store.updateProduct(row, parseProductChanges(store, row, await readJsonObject(c)));
    return sendJson(c, toProduct(store, row), 200);
  });

  app.delete('/products/:id', (c) => {
    const row = getProduct(store, c.req.param('id'));
    store.deleteProduct(row.id);
    store.deleteReviewsOf(row.id);
    return c.body(null, 204);
  });
}

function registerReviewRoutes(app: Hono, store: CatalogStore): void {
  app.get('/products/:id/reviews', (c) => {
    const product = getProduct(store, c.req.param('id'));
    const query = new URL(c.req.url).searchParams;
    const paging = readPaging(query);
    const reviews = sortRows(store.reviewsOf(product.id), readSort(query, REVIEW_SORT_FIELDS));
    return sendList(c, reviews.slice(paging.offset, paging.offset + paging.limit).map(toReview), reviews.length, paging);
  });

  app.post('/products/:id/reviews', async (c) => {
    const product = getProduct(store, c.req.param('id'));
    const body = await readJsonObject(c);
    const author = body.author;
    if (author === undefined) throw unprocessable('author is required');
    if (typeof author !== 'string' || author.trim() === '') throw unprocessable('author must be a non-empty string');
    if (body.rating === undefined) throw unprocessable('rating is required');
    if (!Number.isInteger(body.rating) || (body.rating as number) < 1 || (body.rating as number) > 5) {
      throw unprocessable('rating must be an integer from 1 to 5');
    }
    const comment = body.comment ?? '';
    if (typeof comment !== 'string') throw unprocessable('comment must be a string');
    const row = store.addReview({ product_id: product.id, author, rating: body.rating as number, comment });
    return sendJson(c, toReview(row), 201, { Location: `/reviews/${row.id}` });
  });

  app.get('/reviews/:id', (c) => {
    const row = lookup(store.reviews, c.req.param('id'));
    if (!row) throw notFound(`review ${c.req.param('id')} not found`);
    return sendJson(c, toReview(row), 200);
  });
}

function registerVendorRoutes(app: Hono, store: CatalogStore): void {
  app.get('/vendors', (c) => {
    const query = new URL(c.req.url).searchParams;
    const paging = readPaging(query);
    const vendors = sortRows([...store.vendors.values()], readSort(query, VENDOR_SORT_FIELDS));
    return sendList(c, vendors.slice(paging.offset, paging.offset + paging.limit).map(toVendor), vendors.length, paging);
  });

  app.get('/vendors/:id', (c) => {
    const row = lookup(store.vendors, c.req.param('id'));
    if (!row) throw notFound(`vendor ${c.req.param('id')} not found`);
    return sendJson(c, toVendor(row), 200);
  });
}

function findRoute(path: string) {
  return ROUTES.find((route) => route.pattern.test(path));
}

/** Only canonical decimal ids name a row: "01", "1.0" and "abc" name nothing. */
function lookup<T>(table: ReadonlyMap<number, T>, idText: string): T | undefined {
  return /^[1-9]\d*$/.test(idText) ? table.get(Number(idText)) : undefined;
}

function getProduct(store: CatalogStore, idText: string): ProductRow {
  const row = lookup(store.products, idText);
  if (!row) throw notFound(`product ${idText} not found`);
  return row;
}

// ---- paging, sorting, filtering -------------------------------------------------------------

interface Paging {
  /** Which pair of parameters the client used; links answer in the same pair. */
  style: 'page' | 'offset';
  offset: number;
  limit: number;
}

function readPaging(query: URLSearchParams): Paging {
  const usesOffset = query.has('offset') || query.has('limit');
  const usesPage = query.has('page') || query.has('per_page');
  if (usesOffset && usesPage) throw badRequest('use either offset/limit or page/per_page, not both');
  if (usesOffset) {
    const limit = readInteger(query, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    return { style: 'offset', offset: readInteger(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER), limit };
  }
  const page = readInteger(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = readInteger(query, 'per_page', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  return { style: 'page', offset: (page - 1) * limit, limit };
}

function readInteger(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (value >= min && value <= max) return value;
  throw badRequest(max === Number.MAX_SAFE_INTEGER ? `${name} must be an integer >= ${min}` : `${name} must be an integer from ${min} to ${max}`);
}

/** `sort=price,-name`: keys in order of precedence, `-` for descending. */
function readSort<T>(query: URLSearchParams, fields: Record<string, (row: T) => string | number>): SortKey<T>[] {
  const text = query.get('sort');
  if (text === null || text === '') return [];
  return text.split(',').map((part) => {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    const value = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!value) throw badRequest(`sort: unknown field "${field}"; sortable fields: ${Object.keys(fields).join(', ')}`);
    return { field, descending, value };
  });
}

const PRICE_OPERATORS = {
  price_gte: (price: number, bound: number) => price >= bound,
  price_gt: (price: number, bound: number) => price > bound,
  price_lte: (price: number, bound: number) => price <= bound,
  price_lt: (price: number, bound: number) => price < bound,
} as const;

/** Every filter given must hold: price bounds, name_like, any of vendor_id, all of tag, in_stock, q. */
function productFilter(query: URLSearchParams): (row: ProductRow) => boolean {
  const tests: ((row: ProductRow) => boolean)[] = [];
  for (const [name, holds] of Object.entries(PRICE_OPERATORS)) {
    const text = query.get(name);
    if (text === null) continue;
    if (!/^\d+(\.\d+)?$/.test(text)) throw badRequest(`${name} must be a non-negative number`);
    const bound = Number(text);
    tests.push((row) => holds(row.price_cents / 100, bound));
  }

  const nameLike = query.get('name_like')?.toLowerCase();
  if (nameLike) tests.push((row) => row.name.toLowerCase().includes(nameLike));

  const vendorIds = query.getAll('vendor_id');
  if (vendorIds.length > 0) {
    if (!vendorIds.every((id) => /^\d+$/.test(id))) throw badRequest('vendor_id must be an integer');
    const wanted = new Set(vendorIds.map(Number));
    tests.push((row) => wanted.has(row.vendor_id));
  }

  const tags = query.getAll('tag');
  if (tags.length > 0) tests.push((row) => tags.every((tag) => row.tags.includes(tag)));

  const inStock = query.get('in_stock');
  if (inStock !== null) {
    if (inStock !== 'true' && inStock !== 'false') throw badRequest('in_stock must be true or false');
    tests.push((row) => row.in_stock === (inStock === 'true'));
  }

  const needle = query.get('q')?.toLowerCase();
  if (needle) tests.push((row) => row.name.toLowerCase().includes(needle) || row.description.toLowerCase().includes(needle));

  return (row) => tests.every((test) => test(row));
}

interface Inclusions {
  vendor: boolean;
  reviews: boolean;
}

function readInclusions(query: URLSearchParams): Inclusions {
  return { reviews: readInclusion(query, 'embed', 'reviews'), vendor: readInclusion(query, 'expand', 'vendor') };
}

function readInclusion(query: URLSearchParams, parameter: string, supported: string): boolean {
  const values = query.getAll(parameter).flatMap((text) => text.split(',')).filter((value) => value !== '');
  for (const value of values) {
    if (value !== supported) throw badRequest(`${parameter}: unknown value "${value}"; supported: ${supported}`);
  }
  return values.length > 0;
}

// ---- request bodies ------------------------------------------------------------------------

async function readJsonObject(c: Context): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === '') throw badRequest('request body is empty; send a JSON object');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('request body must be a JSON object');
  return body as JsonObject;
}

/** A full product, as POST and PUT take it: fields checked in a fixed order, first failure wins. */
function parseProduct(store: CatalogStore, body: JsonObject): NewProductRow {
  for (const field of ['name', 'price', 'vendor_id'] as const) {
    if (body[field] === undefined) throw unprocessable(`${field} is required`);
  }
  return {
    name: readName(body.name),
    description: body.description === undefined ? '' : readDescription(body.description),
    price_cents: readPriceCents(body.price),
    currency: body.currency === undefined ? 'EUR' : readCurrency(body.currency),
    vendor_id: readVendorId(store, body.vendor_id),
    tags: body.tags === undefined ? [] : readTags(body.tags),
    in_stock: body.in_stock === undefined ? true : readInStock(body.in_stock),
  };
}

/** A partial product, as PATCH takes it: only the fields present change. */
function parseProductChanges(store: CatalogStore, row: ProductRow, body: JsonObject): NewProductRow {
  return {
    name: body.name === undefined ? row.name : readName(body.name),
    description: body.description === undefined ? row.description : readDescription(body.description),
    price_cents: body.price === undefined ? row.price_cents : readPriceCents(body.price),
    currency: body.currency === undefined ? row.currency : readCurrency(body.currency),
    vendor_id: body.vendor_id === undefined ? row.vendor_id : readVendorId(store, body.vendor_id),
    tags: body.tags === undefined ? row.tags : readTags(body.tags),
    in_stock: body.in_stock === undefined ? row.in_stock : readInStock(body.in_stock),
  };
}

function readName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw unprocessable('name must be a non-empty string');
  return value;
}

function readDescription(value: unknown): string {
  if (typeof value !== 'string') throw unprocessable('description must be a string');
  return value;
}

/** Prices are euros with at most two decimals; the store keeps exact cents. */
function readPriceCents(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw unprocessable('price must be a non-negative number');
  const cents = Math.round(value * 100);
  if (cents / 100 !== value) throw unprocessable('price must have at most two decimals');
  return cents;
}

function readCurrency(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) throw unprocessable('currency must be a three-letter ISO 4217 code');
  return value;
}

function readVendorId(store: CatalogStore, value: unknown): number {
  if (!Number.isInteger(value)) throw unprocessable('vendor_id must be an integer');
  if (!store.vendors.has(value as number)) throw unprocessable(`vendor ${value as number} does not exist`);
  return value as number;
}

function readTags(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) throw unprocessable('tags must be an array of strings');
  return value as string[];
}

function readInStock(value: unknown): boolean {
  if (typeof value !== 'boolean') throw unprocessable('in_stock must be a boolean');
  return value;
}

// ---- representations -----------------------------------------------------------------------

/** Builds the public shape field by field so the key order is fixed; vendor, then reviews, last. */
function toProduct(store: CatalogStore, row: ProductRow, include: Inclusions = { vendor: false, reviews: false }): Product {
  const product: Product = {
    id: row.id,
    name: row.name,
    description: row.description,
    price: row.price_cents / 100,
    currency: row.currency,
    vendor_id: row.vendor_id,
    tags: [...row.tags],
    in_stock: row.in_stock,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (include.vendor) {
    const vendor = store.vendors.get(row.vendor_id);
    if (vendor) product.vendor = toVendor(vendor);
  }
  if (include.reviews) product.reviews = store.reviewsOf(row.id).map(toReview);
  return product;
}

function toReview(row: ReviewRow): Review {
  return { id: row.id, product_id: row.product_id, author: row.author, rating: row.rating, comment: row.comment, created_at: row.created_at };
}

function toVendor(row: VendorRow): Vendor {
  return { id: row.id, name: row.name, country: row.country, email: row.email, created_at: row.created_at };
}

// ---- responses -----------------------------------------------------------------------------

function sendJson(c: Context, value: unknown, status: 200 | 201, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(value), status, { ...headers, 'Content-Type': JSON_TYPE });
}

/** A page as a bare array, the total in X-Total-Count, and first/prev/next/last in Link (RFC 8288). */
function sendList(c: Context, items: unknown[], total: number, paging: Paging): Response {
  return sendJson(c, items, 200, { 'X-Total-Count': String(total), Link: linkHeader(new URL(c.req.url), paging, total) });
}

function linkHeader(url: URL, paging: Paging, total: number): string {
  const { offset, limit } = paging;
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const targets: [string, number | undefined][] = [
    ['first', 0],
    // Past the end, prev points at the last page rather than at another empty one.
    ['prev', offset > 0 ? Math.min(Math.max(0, offset - limit), lastOffset) : undefined],
    ['next', offset + limit < total ? offset + limit : undefined],
    ['last', lastOffset],
  ];
  return targets
    .filter((target): target is [string, number] => target[1] !== undefined)
    .map(([rel, targetOffset]) => {
      const replacements: [string, string][] =
        paging.style === 'offset'
          ? [['offset', String(targetOffset)], ['limit', String(limit)]]
          : [['page', String(Math.floor(targetOffset / limit) + 1)], ['per_page', String(limit)]];
      return `<${url.origin}${url.pathname}${withQueryParameters(url.search, replacements)}>; rel="${rel}"`;
    })
    .join(', ');
}

/** If-None-Match uses the weak comparison (RFC 9110 section 13.1.2): W/ prefixes are ignored. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

function sendError(c: Context, error: ApiError): Response {
  return c.body(JSON.stringify({ error: error.message, status: error.status }), error.status, {
    ...error.headers,
    'Content-Type': JSON_TYPE,
  });
}
