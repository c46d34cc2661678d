import { Hono } from 'hono';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import type { ProductRow, ReviewRow, VendorRow } from './seed.js';
import { withQueryParameters } from './query-string.js';
import { CatalogStore, sortRows, type NewProductRow, type SortKey } from './store.js';

/*
 * The v2 catalog service of the second bundled example, as a team rebuilding the API in JSON:API
 * style would ship it: everything under /v2, `{ data, links, meta }` envelopes, page[number] and
 * page[size] with pagination links in the body, `filter[field][operator]` filters, string ids,
 * money as `{ amount, currency }` in minor units, `availability` instead of `in_stock`, a nullable
 * description, reviews and vendors fetched by id batches instead of embedded, strict validation
 * (unknown query parameters and body fields are rejected; all problems reported at once), PATCH
 * as JSON Merge Patch (RFC 7396) and no PUT, 200 on create, no cascade on delete, public CORS, and
 * RFC 9457 problem details for every error. No full-text search: that moved to a search service.
 * Everything lives in memory and POST /__reset restores the seed.
 */

export type Availability = 'in_stock' | 'out_of_stock';

export interface Money {
  /** In minor units (cents). */
  amount: number;
  currency: string;
}

export interface ProductV2 {
  id: string;
  name: string;
  description: string | null;
  price: Money;
  vendor_id: string;
  tags: string[];
  availability: Availability;
  created_at: string;
  updated_at: string;
}

export interface ReviewV2 {
  id: string;
  product_id: string;
  rating: number;
  text: string;
  reviewer: { display_name: string };
  created_at: string;
}

export interface VendorV2 {
  id: string;
  name: string;
  country_code: string;
  support_email: string;
  created_at: string;
}

export interface PageLinks {
  self: string;
  first: string;
  prev: string | null;
  next: string | null;
  last: string;
}

export interface ListDocument<T> {
  data: T[];
  links: PageLinks;
  meta: { total: number };
}

export interface ItemDocument<T> {
  data: T;
  links: { self: string };
}

export interface V2Service {
  app: Hono;
  reset(): void;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const AVAILABILITIES: readonly Availability[] = ['in_stock', 'out_of_stock'];
const PROBLEM_TYPE_BASE = 'https://catalog.example.com/problems/';
const PROBLEM_KINDS = {
  'invalid-query': { title: 'Invalid query parameters', status: 400 },
  'malformed-json': { title: 'Malformed JSON body', status: 400 },
  'not-found': { title: 'Resource not found', status: 404 },
  'method-not-allowed': { title: 'Method not allowed', status: 405 },
  'unsupported-media-type': { title: 'Unsupported media type', status: 415 },
  'validation-failed': { title: 'Validation failed', status: 422 },
} as const;

/** Every route and its methods: the source of `Allow` and of 405 answers. */
const ROUTES: readonly { pattern: RegExp; methods: readonly string[] }[] = [
  { pattern: /^\/v2\/products$/, methods: ['GET', 'POST'] },
  { pattern: /^\/v2\/products\/[^/]+$/, methods: ['GET', 'PATCH', 'DELETE'] },
  { pattern: /^\/v2\/products\/[^/]+\/reviews$/, methods: ['GET'] },
  { pattern: /^\/v2\/reviews$/, methods: ['GET', 'POST'] },
  { pattern: /^\/v2\/reviews\/[^/]+$/, methods: ['GET'] },
  { pattern: /^\/v2\/vendors$/, methods: ['GET'] },
  { pattern: /^\/v2\/vendors\/[^/]+$/, methods: ['GET'] },
];

type JsonObject = Record<string, unknown>;
type ProblemKind = keyof typeof PROBLEM_KINDS;

/** One offending part of a request: a query parameter, or a JSON pointer into the body (RFC 6901). */
type ProblemItem = { parameter: string; detail: string } | { pointer: string; detail: string };

/** A failure reported to the caller as an RFC 9457 problem document. */
class Problem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly errors: readonly ProblemItem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const notFound = (detail: string) => new Problem('not-found', detail);

// ---- filters --------------------------------------------------------------------------------

type Operator = 'eq' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'all';

interface FilterField<T> {
  operators: readonly Operator[];
  /** Parses one value (an element of a comma list for `in` and `all`); returns a message when invalid. */
  parse: (text: string) => string | number | { invalid: string };
  value: (row: T) => string | number | readonly string[];
}

const idValue = (text: string) => text;
const integerValue = (text: string) => (/^\d+$/.test(text) ? Number(text) : { invalid: 'must be a non-negative integer' });
const textValue = (text: string) => text;

const PRODUCT_FILTERS: Record<string, FilterField<ProductRow>> = {
  id: { operators: ['eq', 'in'], parse: idValue, value: (row) => String(row.id) },
  name: { operators: ['contains'], parse: textValue, value: (row) => row.name },
  price: { operators: ['eq', 'gt', 'gte', 'lt', 'lte'], parse: integerValue, value: (row) => row.price_cents },
  vendor: { operators: ['eq', 'in'], parse: idValue, value: (row) => String(row.vendor_id) },
  tags: { operators: ['all'], parse: textValue, value: (row) => row.tags },
  availability: {
    operators: ['eq'],
    parse: (text) => (AVAILABILITIES.includes(text as Availability) ? text : { invalid: `must be one of ${AVAILABILITIES.join(', ')}` }),
    value: (row) => availabilityOf(row),
  },
};
const REVIEW_FILTERS: Record<string, FilterField<ReviewRow>> = {
  id: { operators: ['eq', 'in'], parse: idValue, value: (row) => String(row.id) },
  product: { operators: ['eq', 'in'], parse: idValue, value: (row) => String(row.product_id) },
  rating: { operators: ['eq', 'gte', 'lte'], parse: integerValue, value: (row) => row.rating },
};
const VENDOR_FILTERS: Record<string, FilterField<VendorRow>> = {
  id: { operators: ['eq', 'in'], parse: idValue, value: (row) => String(row.id) },
  country_code: { operators: ['eq'], parse: textValue, value: (row) => row.country },
};

const PRODUCT_SORTS: Record<string, (row: ProductRow) => string | number> = {
  name: (row) => row.name,
  price: (row) => row.price_cents,
  created_at: (row) => row.created_at,
  updated_at: (row) => row.updated_at,
};
const REVIEW_SORTS: Record<string, (row: ReviewRow) => string | number> = {
  rating: (row) => row.rating,
  created_at: (row) => row.created_at,
};
const VENDOR_SORTS: Record<string, (row: VendorRow) => string | number> = { name: (row) => row.name };

export function createV2Service(): V2Service {
  const store = new CatalogStore();

  const app = new Hono();
  app.use(cors({ origin: '*', allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'], allowHeaders: ['Content-Type'], maxAge: 86400 }));
  app.post('/__reset', (c) => {
    store.reset();
    return c.body(null, 204);
  });
  registerProductRoutes(app, store);
  registerReviewRoutes(app, store);
  registerVendorRoutes(app, store);

  app.notFound((c) => {
    const route = ROUTES.find((candidate) => candidate.pattern.test(c.req.path));
    if (!route) return sendProblem(c, notFound(`no route for ${c.req.method} ${c.req.path}`));
    return sendProblem(
      c,
      new Problem('method-not-allowed', `${c.req.method} is not supported on ${c.req.path}; use ${route.methods.join(', ')}`, [], {
        Allow: route.methods.join(', '),
      }),
    );
  });
  app.onError((error, c) => {
    if (error instanceof Problem) return sendProblem(c, error);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return c.text('Internal Server Error', 500);
  });

  return { app, reset: () => store.reset() };
}

function registerProductRoutes(app: Hono, store: CatalogStore): void {
  app.get('/v2/products', (c) => {
    const query = readListQuery(c, PRODUCT_FILTERS, PRODUCT_SORTS);
    return sendList(c, sortRows([...store.products.values()].filter(query.filter), query.sort), query, toProduct);
  });

  app.post('/v2/products', async (c) => {
    const row = store.addProduct(parseNewProduct(store, await readJsonObject(c, ['application/json'])));
    return sendItem(c, toProduct(row), `/v2/products/${row.id}`);
  });

  app.get('/v2/products/:id', (c) => {
    const row = getProduct(store, c.req.param('id'));
    return sendItem(c, toProduct(row), `/v2/products/${row.id}`);
  });

  app.patch('/v2/products/:id', async (c) => {
    const row = getProduct(store, c.req.param('id'));
    const patch = await readJsonObject(c, ['application/merge-patch+json', 'application/json']);
    store.updateProduct(row, mergeProductPatch(store, row, patch));
    return sendItem(c, toProduct(row), `/v2/products/${row.id}`);
  });

  // Reviews of a deleted product are kept: they stay readable under /v2/reviews.
  app.delete('/v2/products/:id', (c) => {
    store.deleteProduct(getProduct(store, c.req.param('id')).id);
    return c.body(null, 204);
  });

  app.get('/v2/products/:id/reviews', (c) => {
    const product = getProduct(store, c.req.param('id'));
    const query = readListQuery(c, {}, REVIEW_SORTS);
    return sendList(c, sortRows(store.reviewsOf(product.id), query.sort), query, toReview);
  });
}

function registerReviewRoutes(app: Hono, store: CatalogStore): void {
  app.get('/v2/reviews', (c) => {
    const query = readListQuery(c, REVIEW_FILTERS, REVIEW_SORTS);
    return sendList(c, sortRows([...store.reviews.values()].filter(query.filter), query.sort), query, toReview);
  });

  app.post('/v2/reviews', async (c) => {
    const row = store.addReview(parseNewReview(store, await readJsonObject(c, ['application/json'])));
    return sendItem(c, toReview(row), `/v2/reviews/${row.id}`);
  });

  app.get('/v2/reviews/:id', (c) => {
    const row = lookup(store.reviews, c.req.param('id'));
    if (!row) throw notFound(`review ${c.req.param('id')} does not exist`);
    return sendItem(c, toReview(row), `/v2/reviews/${row.id}`);
  });
}

function registerVendorRoutes(app: Hono, store: CatalogStore): void {
  app.get('/v2/vendors', (c) => {
    const query = readListQuery(c, VENDOR_FILTERS, VENDOR_SORTS);
    return sendList(c, sortRows([...store.vendors.values()].filter(query.filter), query.sort), query, toVendor);
  });

  app.get('/v2/vendors/:id', (c) => {
    const row = lookup(store.vendors, c.req.param('id'));
    if (!row) throw notFound(`vendor ${c.req.param('id')} does not exist`);
    return sendItem(c, toVendor(row), `/v2/vendors/${row.id}`);
  });
}

/** Ids are opaque strings to clients; the store happens to number them. */
function lookup<T>(table: ReadonlyMap<number, T>, id: string): T | undefined {
  return /^[1-9]\d*$/.test(id) ? table.get(Number(id)) : undefined;
}

function getProduct(store: CatalogStore, id: string): ProductRow {
  const row = lookup(store.products, id);
  if (!row) throw notFound(`product ${id} does not exist`);
  return row;
}

// ---- list queries ---------------------------------------------------------------------------

interface ListQuery<T> {
  number: number;
  size: number;
  filter: (row: T) => boolean;
  sort: SortKey<T>[];
}

/**
 * Reads page[number], page[size], sort and filter[...] and rejects anything else, reporting every
 * bad parameter at once.
 */
function readListQuery<T>(
  c: Context,
  filters: Record<string, FilterField<T>>,
  sorts: Record<string, (row: T) => string | number>,
): ListQuery<T> {
  const problems: ProblemItem[] = [];
  const query = new URL(c.req.url).searchParams;
  const seen = new Set<string>();
  const tests: ((row: T) => boolean)[] = [];
  let number = 1;
  let size = DEFAULT_PAGE_SIZE;
  let sort: SortKey<T>[] = [];

  for (const [parameter, text] of query) {
    if (seen.has(parameter)) {
      problems.push({ parameter, detail: 'is given more than once' });
      continue;
    }
    seen.add(parameter);
    if (parameter === 'page[number]') {
      number = readPageInteger(parameter, text, Number.MAX_SAFE_INTEGER, problems) ?? number;
    } else if (parameter === 'page[size]') {
      size = readPageInteger(parameter, text, MAX_PAGE_SIZE, problems) ?? size;
    } else if (parameter === 'sort') {
      sort = readSort(text, sorts, problems);
    } else {
      const filterName = /^filter\[([a-z_]+)\](?:\[([a-z]+)\])?$/.exec(parameter);
      const field = filterName && Object.hasOwn(filters, filterName[1]!) ? filters[filterName[1]!] : undefined;
      if (!filterName) {
        problems.push({ parameter, detail: 'is not a supported query parameter' });
      } else if (!field) {
        problems.push({ parameter, detail: `cannot filter on "${filterName[1]}"; filterable: ${Object.keys(filters).join(', ') || 'nothing'}` });
      } else {
        const test = readFilter(parameter, field, (filterName[2] ?? defaultOperator(field)) as Operator, text, problems);
        if (test) tests.push(test);
      }
    }
  }
  if (problems.length > 0) {
    throw new Problem('invalid-query', `${problems.length} query parameter${problems.length === 1 ? ' is' : 's are'} invalid`, problems);
  }
  return { number, size, sort, filter: (row) => tests.every((test) => test(row)) };
}

function defaultOperator<T>(field: FilterField<T>): Operator {
  return field.operators.includes('eq') ? 'eq' : field.operators[0]!;
}

function readPageInteger(parameter: string, text: string, max: number, problems: ProblemItem[]): number | undefined {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (value >= 1 && value <= max) return value;
  problems.push({ parameter, detail: max === Number.MAX_SAFE_INTEGER ? 'must be an integer >= 1' : `must be an integer from 1 to ${max}` });
  return undefined;
}

function readSort<T>(text: string, sorts: Record<string, (row: T) => string | number>, problems: ProblemItem[]): SortKey<T>[] {
  const keys: SortKey<T>[] = [];
  for (const part of text.split(',')) {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    const value = Object.hasOwn(sorts, field) ? sorts[field] : undefined;
    if (value) keys.push({ field, descending, value });
    else problems.push({ parameter: 'sort', detail: `cannot sort by "${field}"; sortable: ${Object.keys(sorts).join(', ')}` });
  }
  return keys;
}

function readFilter<T>(
  parameter: string,
  field: FilterField<T>,
  operator: Operator,
  text: string,
  problems: ProblemItem[],
): ((row: T) => boolean) | undefined {
  if (!field.operators.includes(operator)) {
    problems.push({ parameter, detail: `operator "${operator}" is not supported here; use ${field.operators.join(', ')}` });
    return undefined;
  }
  const texts = operator === 'in' || operator === 'all' ? text.split(',') : [text];
  const values = texts.map(field.parse);
  const invalid = values.find((value): value is { invalid: string } => typeof value === 'object');
  if (invalid || texts.some((part) => part === '')) {
    problems.push({ parameter, detail: invalid?.invalid ?? 'must not be empty' });
    return undefined;
  }
  const [bound] = values as (string | number)[];
  const scalar = (row: T) => field.value(row) as string | number;
  switch (operator) {
    case 'eq':
      return (row) => scalar(row) === bound;
    case 'in':
      return (row) => values.includes(scalar(row));
    case 'gt':
      return (row) => scalar(row) > bound!;
    case 'gte':
      return (row) => scalar(row) >= bound!;
    case 'lt':
      return (row) => scalar(row) < bound!;
    case 'lte':
      return (row) => scalar(row) <= bound!;
    case 'contains': {
      const needle = String(bound).toLowerCase();
      return (row) => String(scalar(row)).toLowerCase().includes(needle);
    }
    case 'all':
      return (row) => values.every((value) => (field.value(row) as readonly string[]).includes(value as string));
  }
}

// ---- request bodies ------------------------------------------------------------------------

async function readJsonObject(c: Context, mediaTypes: readonly string[]): Promise<JsonObject> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!mediaTypes.includes(mediaType)) {
    throw new Problem('unsupported-media-type', `send the body as ${mediaTypes.join(' or ')}, not "${mediaType || 'no content type'}"`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new Problem('malformed-json', 'the request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Problem('validation-failed', 'the request body must be a JSON object', [{ pointer: '', detail: 'must be an object' }]);
  }
  return body as JsonObject;
}

/** Collects every problem of a body before answering, so a client can fix them all at once. */
class BodyCheck {
  readonly problems: ProblemItem[] = [];

  fail(pointer: string, detail: string): undefined {
    this.problems.push({ pointer, detail });
    return undefined;
  }

  rejectUnknown(body: JsonObject, known: readonly string[], pointer = ''): void {
    for (const key of Object.keys(body)) {
      if (!known.includes(key)) this.fail(`${pointer}/${escapePointer(key)}`, READ_ONLY.includes(key) ? 'is read-only' : 'is not a known field');
    }
  }

  finish(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length;
    throw new Problem('validation-failed', `${count} field${count === 1 ? ' is' : 's are'} invalid`, this.problems);
  }
}

const READ_ONLY = ['id', 'created_at', 'updated_at'];
const PRODUCT_FIELDS = ['name', 'description', 'price', 'vendor_id', 'tags', 'availability'];
const MONEY_FIELDS = ['amount', 'currency'];

function parseNewProduct(store: CatalogStore, body: JsonObject): NewProductRow {
  const check = new BodyCheck();
  check.rejectUnknown(body, PRODUCT_FIELDS);
  const name = body.name === undefined ? check.fail('/name', 'is required') : readName(check, body.name);
  const description = body.description === undefined ? '' : readDescription(check, body.description);
  let amount: number | undefined;
  let currency: string | undefined;
  if (body.price === undefined) {
    check.fail('/price', 'is required');
  } else if (!isJsonObject(body.price)) {
    check.fail('/price', 'must be an object with amount and currency');
  } else {
    check.rejectUnknown(body.price, MONEY_FIELDS, '/price');
    amount = body.price.amount === undefined ? check.fail('/price/amount', 'is required') : readAmount(check, body.price.amount);
    currency = body.price.currency === undefined ? check.fail('/price/currency', 'is required') : readCurrency(check, body.price.currency);
  }
  const vendorId = body.vendor_id === undefined ? check.fail('/vendor_id', 'is required') : readVendorId(check, store, body.vendor_id);
  const tags = body.tags === undefined ? [] : readTags(check, body.tags);
  const availability = body.availability === undefined ? 'in_stock' : readAvailability(check, body.availability);
  check.finish();
  return {
    name: name!,
    description: description!,
    price_cents: amount!,
    currency: currency!,
    vendor_id: vendorId!,
    tags: tags!,
    in_stock: availability === 'in_stock',
  };
}

/** JSON Merge Patch (RFC 7396): absent members keep their value, `price` merges member-wise. */
function mergeProductPatch(store: CatalogStore, row: ProductRow, patch: JsonObject): NewProductRow {
  const check = new BodyCheck();
  check.rejectUnknown(patch, PRODUCT_FIELDS);
  const next: NewProductRow = {
    name: row.name,
    description: row.description,
    price_cents: row.price_cents,
    currency: row.currency,
    vendor_id: row.vendor_id,
    tags: row.tags,
    in_stock: row.in_stock,
  };
  if (patch.name !== undefined) next.name = readName(check, patch.name) ?? next.name;
  if (patch.description !== undefined) next.description = readDescription(check, patch.description) ?? next.description;
  if (patch.price !== undefined) {
    if (!isJsonObject(patch.price)) {
      check.fail('/price', 'must be an object');
    } else {
      check.rejectUnknown(patch.price, MONEY_FIELDS, '/price');
      if (patch.price.amount !== undefined) next.price_cents = readAmount(check, patch.price.amount) ?? next.price_cents;
      if (patch.price.currency !== undefined) next.currency = readCurrency(check, patch.price.currency) ?? next.currency;
    }
  }
  if (patch.vendor_id !== undefined) next.vendor_id = readVendorId(check, store, patch.vendor_id) ?? next.vendor_id;
  if (patch.tags !== undefined) next.tags = readTags(check, patch.tags) ?? next.tags;
  if (patch.availability !== undefined) {
    const availability = readAvailability(check, patch.availability);
    if (availability) next.in_stock = availability === 'in_stock';
  }
  check.finish();
  return next;
}

function parseNewReview(store: CatalogStore, body: JsonObject): Omit<ReviewRow, 'id' | 'created_at'> {
  const check = new BodyCheck();
  check.rejectUnknown(body, ['product_id', 'rating', 'text', 'reviewer']);
  let productId: number | undefined;
  if (body.product_id === undefined) check.fail('/product_id', 'is required');
  else if (typeof body.product_id !== 'string') check.fail('/product_id', 'must be a string');
  else if (!lookup(store.products, body.product_id)) check.fail('/product_id', `product ${body.product_id} does not exist`);
  else productId = Number(body.product_id);

  const rating = body.rating;
  if (rating === undefined) check.fail('/rating', 'is required');
  else if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5) check.fail('/rating', 'must be an integer from 1 to 5');

  const text = body.text ?? '';
  if (typeof text !== 'string') check.fail('/text', 'must be a string');

  let displayName: string | undefined;
  if (body.reviewer === undefined) check.fail('/reviewer', 'is required');
  else if (!isJsonObject(body.reviewer)) check.fail('/reviewer', 'must be an object');
  else {
    check.rejectUnknown(body.reviewer, ['display_name'], '/reviewer');
    const name = body.reviewer.display_name;
    if (typeof name !== 'string' || name.trim() === '') check.fail('/reviewer/display_name', 'must be a non-empty string');
    else displayName = name;
  }
  check.finish();
  return { product_id: productId!, rating: rating as number, comment: text as string, author: displayName! };
}

function readName(check: BodyCheck, value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  return check.fail('/name', 'must be a non-empty string');
}

/** null and "" both mean "no description"; the store keeps "" and v2 shows null. */
function readDescription(check: BodyCheck, value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return check.fail('/description', 'must be a string or null');
}

function readAmount(check: BodyCheck, value: unknown): number | undefined {
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  return check.fail('/price/amount', 'must be a non-negative integer (minor units)');
}

function readCurrency(check: BodyCheck, value: unknown): string | undefined {
  if (typeof value === 'string' && /^[A-Z]{3}$/.test(value)) return value;
  return check.fail('/price/currency', 'must be a three-letter ISO 4217 code');
}

function readVendorId(check: BodyCheck, store: CatalogStore, value: unknown): number | undefined {
  if (typeof value !== 'string') return check.fail('/vendor_id', 'must be a string');
  if (!lookup(store.vendors, value)) return check.fail('/vendor_id', `vendor ${value} does not exist`);
  return Number(value);
}

function readTags(check: BodyCheck, value: unknown): string[] | undefined {
  if (Array.isArray(value) && value.every((tag) => typeof tag === 'string')) return value as string[];
  return check.fail('/tags', 'must be an array of strings');
}

function readAvailability(check: BodyCheck, value: unknown): Availability | undefined {
  if (AVAILABILITIES.includes(value as Availability)) return value as Availability;
  return check.fail('/availability', `must be one of ${AVAILABILITIES.join(', ')}`);
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901: "~" and "/" in a member name are escaped in a JSON pointer. */
function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

// ---- representations -----------------------------------------------------------------------

function availabilityOf(row: ProductRow): Availability {
  return row.in_stock ? 'in_stock' : 'out_of_stock';
}

function toProduct(row: ProductRow): ProductV2 {
  return {
    id: String(row.id),
    name: row.name,
    description: row.description === '' ? null : row.description,
    price: { amount: row.price_cents, currency: row.currency },
    vendor_id: String(row.vendor_id),
    tags: [...row.tags],
    availability: availabilityOf(row),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toReview(row: ReviewRow): ReviewV2 {
  return {
    id: String(row.id),
    product_id: String(row.product_id),
    rating: row.rating,
    text: row.comment,
    reviewer: { display_name: row.author },
    created_at: row.created_at,
  };
}

function toVendor(row: VendorRow): VendorV2 {
  return { id: String(row.id), name: row.name, country_code: row.country, support_email: row.email, created_at: row.created_at };
}

// ---- responses -----------------------------------------------------------------------------

function sendItem<T>(c: Context, data: T, self: string): Response {
  const document: ItemDocument<T> = { data, links: { self } };
  return c.json(document, 200);
}

/** One page inside the envelope; links are root-relative and keep every other query parameter. */
function sendList<Row, Item>(c: Context, rows: Row[], query: ListQuery<Row>, render: (row: Row) => Item): Response {
  const { number, size } = query;
  const total = rows.length;
  const lastPage = Math.max(1, Math.ceil(total / size));
  const url = new URL(c.req.url);
  const link = (page: number) =>
    `${url.pathname}${withQueryParameters(url.search, [
      ['page[number]', String(page)],
      ['page[size]', String(size)],
    ])}`;
  const document: ListDocument<Item> = {
    data: rows.slice((number - 1) * size, number * size).map(render),
    links: {
      self: link(number),
      first: link(1),
      prev: number > 1 ? link(Math.min(number - 1, lastPage)) : null,
      next: number < lastPage ? link(number + 1) : null,
      last: link(lastPage),
    },
    meta: { total },
  };
  return c.json(document, 200);
}

function sendProblem(c: Context, problem: Problem): Response {
  const { title, status } = PROBLEM_KINDS[problem.kind];
  const document: Record<string, unknown> = {
    type: `${PROBLEM_TYPE_BASE}${problem.kind}`,
    title,
    status,
    detail: problem.detail,
    instance: c.req.path,
  };
  if (problem.errors.length > 0) document.errors = problem.errors;
  return c.body(JSON.stringify(document), status, { ...problem.headers, 'Content-Type': 'application/problem+json' });
}
