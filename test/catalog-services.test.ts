import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenApiContract } from '../examples/knowledge/openapi-check.js';
import { CATALOG_SEED } from '../examples/catalog/seed.js';
import { startCatalogServices, type CatalogServices } from '../examples/catalog/start.js';
import { withQueryParameters } from '../examples/catalog/query-string.js';
import { catalogExchanges, type FixtureStep } from './support/catalog-exchanges.js';
import { compareCodePoints } from '../examples/catalog/store.js';
import { createV1Service, type Product, type Review, type Vendor } from '../examples/catalog/v1-service.js';
import { createV2Service, type ItemDocument, type ListDocument, type ProductV2, type ReviewV2, type VendorV2 } from '../examples/catalog/v2-service.js';

/*
 * Drives both catalog services over real HTTP on loopback. Every reply to a documented operation is
 * checked against the service's OpenAPI document (status, content type, required headers, body
 * schema, and for accepted requests the request body); the v1 exchange fixture is replayed in full;
 * and the last tests insist every documented response was produced at least once.
 */

type ApiName = 'v1' | 'v2';

interface Reply<T> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON (with a JSON content type unless headers say otherwise). */
  body?: unknown;
  /** Sent as-is, for malformed bodies. */
  rawBody?: string;
}

const SHOP = 'https://shop.example.com';
const PROBLEM_BASE = 'https://catalog.example.com/problems/';
const V1_PRODUCT_KEYS = ['id', 'name', 'description', 'price', 'currency', 'vendor_id', 'tags', 'in_stock', 'created_at', 'updated_at'];
const V2_PRODUCT_KEYS = ['id', 'name', 'description', 'price', 'vendor_id', 'tags', 'availability', 'created_at', 'updated_at'];
const BY_NAME = [10, 7, 1, 4, 6, 9, 2, 5, 8, 3, 11, 12];
const BY_PRICE_THEN_NAME_DESCENDING = [5, 2, 4, 10, 3, 8, 1, 11, 6, 7, 12, 9];

let services: CatalogServices;
const contracts = {} as Record<ApiName, OpenApiContract>;
const urls = {} as Record<ApiName, string>;

beforeAll(async () => {
  services = await startCatalogServices({ v1Port: 0, v2Port: 0, host: '127.0.0.1' });
  urls.v1 = services.v1.url;
  urls.v2 = services.v2.url;
  contracts.v1 = OpenApiContract.fromFile(examplePath('openapi-v1.yaml'));
  contracts.v2 = OpenApiContract.fromFile(examplePath('openapi-v2.yaml'));
});

afterAll(async () => {
  await services?.close();
});

beforeEach(async () => {
  expect((await call('v1', 'POST', '/__reset')).status).toBe(204);
  expect((await call('v2', 'POST', '/__reset')).status).toBe(204);
});

function examplePath(file: string): string {
  return fileURLToPath(new URL(`../examples/catalog/${file}`, import.meta.url));
}

async function send<T = unknown>(api: ApiName, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${urls[api]}${path}`, { method, headers, body });
  const text = await response.text();
  const parsed = (text === '' ? undefined : JSON.parse(text)) as T;
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** The method an exchange means: a POST with X-HTTP-Method-Override means the overriding one. */
function effectiveMethod(method: string, headers: Record<string, string> = {}): string {
  const override = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-http-method-override')?.[1];
  return method === 'POST' && override ? override.toUpperCase() : method;
}

/** Checks an exchange against the OpenAPI document, unless it is one OpenAPI cannot describe. */
function expectConforms(api: ApiName, method: string, path: string, options: RequestOptions, reply: Reply<unknown>): void {
  const meant = effectiveMethod(method, options.headers);
  const isRoutingAnswer = reply.status === 405 || (reply.status === 404 && /no route/.test(reply.text));
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(meant) || isRoutingAnswer) return;
  const problems = contracts[api].check({
    method: meant,
    path,
    requestBody: options.body,
    status: reply.status,
    headers: reply.headers,
    bodyText: reply.text,
  });
  expect(problems, `${method} ${path}`).toEqual([]);
}

/** Sends a request and fails unless the exchange matches the OpenAPI document. */
async function call<T = unknown>(api: ApiName, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const reply = await send<T>(api, method, path, options);
  expectConforms(api, method, path, options, reply as Reply<unknown>);
  return reply;
}

function expectV1Error(reply: Reply<unknown>, status: number, message: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(reply.body).toEqual({ error: message, status });
}

function expectProblem(reply: Reply<unknown>, status: number, kind: string, extra: Record<string, unknown> = {}): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ type: `${PROBLEM_BASE}${kind}`, status, ...extra });
}

function expectRecentTimestamp(timestamp: string): void {
  expect(new Date(timestamp).toISOString()).toBe(timestamp);
  expect(Math.abs(Date.parse(timestamp) - Date.now())).toBeLessThan(60_000);
}

const ids = (items: { id: number | string }[]) => items.map((item) => item.id);

/** The Link header as { rel: url }. */
function links(reply: Reply<unknown>): Record<string, string> {
  const header = reply.headers.get('link') ?? '';
  return Object.fromEntries([...header.matchAll(/<([^>]+)>; rel="([a-z]+)"/g)].map((match) => [match[2]!, match[1]!]));
}

describe('startCatalogServices', () => {
  it('serves v1 and v2 on separate loopback ports', () => {
    expect(services.v1.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(services.v2.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(services.v1.port).not.toBe(services.v2.port);
  });
});

describe('code-point order', () => {
  it('orders by code point, which UTF-16 comparison and locale collation do not', () => {
    // U+FB01 sorts before U+1FAD6 by code point, but after its UTF-16 surrogates.
    expect(compareCodePoints('\uFB01', '🫖')).toBeLessThan(0);
    expect('\uFB01' < '🫖').toBe(false);
    expect(compareCodePoints('Zebra', 'apple')).toBeLessThan(0);
    expect('Zebra'.localeCompare('apple')).toBeGreaterThan(0);
    expect(compareCodePoints('zebra', 'Ångström')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });
});

describe('withQueryParameters', () => {
  it.each([
    ['', [['page', '2']], '?page=2'],
    ['?a=1&page=1&b=%2C+x', [['page', '2']], '?a=1&page=2&b=%2C+x'],
    ['?page=1&page=5&per_page=3', [['page', '2'], ['per_page', '4']], '?page=2&per_page=4'],
    ['?sort=-name&&x', [['page[number]', '3']], '?sort=-name&x&page%5Bnumber%5D=3'],
    ['?page%5Bsize%5D=2', [['page[size]', '5']], '?page%5Bsize%5D=5'],
    ['?bad=%E0%A4%A', [['page', '1']], '?bad=%E0%A4%A&page=1'],
  ] as const)('rewrites %j with %j', (search, replacements, expected) => {
    expect(withQueryParameters(search, replacements)).toBe(expected);
  });
});

describe('v1 product lists', () => {
  it('answers the first page as a bare array with X-Total-Count and first/next/last links', async () => {
    const reply = await call<Product[]>('v1', 'GET', '/products');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('x-total-count')).toBe('12');
    expect(ids(reply.body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Object.keys(reply.body[0]!)).toEqual(V1_PRODUCT_KEYS);
    expect(reply.text).not.toMatch(/\n|": /);
    const base = `${urls.v1}/products`;
    expect(reply.headers.get('link')).toBe(
      `<${base}?page=1&per_page=10>; rel="first", <${base}?page=2&per_page=10>; rel="next", <${base}?page=2&per_page=10>; rel="last"`,
    );
  });

  it.each([
    ['?page=2&per_page=5', [6, 7, 8, 9, 10], { first: 'page=1&per_page=5', prev: 'page=1&per_page=5', next: 'page=3&per_page=5', last: 'page=3&per_page=5' }],
    ['?page=3&per_page=5', [11, 12], { first: 'page=1&per_page=5', prev: 'page=2&per_page=5', last: 'page=3&per_page=5' }],
    ['?page=9&per_page=5', [], { first: 'page=1&per_page=5', prev: 'page=3&per_page=5', last: 'page=3&per_page=5' }],
    ['?per_page=100', seedIds(), { first: 'per_page=100&page=1', last: 'per_page=100&page=1' }],
    ['?per_page=12', seedIds(), { first: 'per_page=12&page=1', last: 'per_page=12&page=1' }],
    ['?per_page=11', seedIds().slice(0, 11), { first: 'per_page=11&page=1', next: 'per_page=11&page=2', last: 'per_page=11&page=2' }],
    ['?offset=4&limit=3', [5, 6, 7], { first: 'offset=0&limit=3', prev: 'offset=1&limit=3', next: 'offset=7&limit=3', last: 'offset=9&limit=3' }],
    ['?offset=2', [3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { first: 'offset=0&limit=10', prev: 'offset=0&limit=10', last: 'offset=10&limit=10' }],
        ['?offset=40&limit=5', [], { first: 'offset=0&limit=5', prev: 'offset=10&limit=5', last: 'offset=10&limit=5' }],
    ['?limit=5&offset=0', [1, 2, 3, 4, 5], { first: 'limit=5&offset=0', next: 'limit=5&offset=5', last: 'limit=5&offset=10' }],
  ])('pages %s', async (query, expected, expectedLinks) => {
    const reply = await call<Product[]>('v1', 'GET', `/products${query}`);
    expect(ids(reply.body)).toEqual(expected);
    expect(reply.headers.get('x-total-count')).toBe('12');
    const base = `${urls.v1}/products?`;
    expect(links(reply)).toEqual(Object.fromEntries(Object.entries(expectedLinks).map(([rel, q]) => [rel, base + q])));
  });

  it('changes only the paging parameters in links, keeping the others byte for byte', async () => {
    const reply = await call<Product[]>('v1', 'GET', '/products?name_like=e&per_page=2&sort=price,-name&q=%65&tag=kitchen');
    expect(links(reply).next).toBe(`${urls.v1}/products?name_like=e&per_page=2&sort=price,-name&q=%65&tag=kitchen&page=2`);
  });

  it('answers an empty filter result with total 0 and a single page of links', async () => {
    const reply = await call<Product[]>('v1', 'GET', '/products?price_gte=1000&offset=0');
    expect(reply.body).toEqual([]);
    expect(reply.headers.get('x-total-count')).toBe('0');
    expect(Object.keys(links(reply))).toEqual(['first', 'last']);
    expect(links(reply).last).toBe(`${urls.v1}/products?price_gte=1000&offset=0&limit=10`);
  });

  it.each([
    ['page=0', 'page must be an integer >= 1'],
    ['page=two', 'page must be an integer >= 1'],
    ['per_page=0', 'per_page must be an integer from 1 to 100'],
    ['per_page=101', 'per_page must be an integer from 1 to 100'],
    ['offset=-1', 'offset must be an integer >= 0'],
    ['limit=1.5', 'limit must be an integer from 1 to 100'],
    ['offset=5&page=2', 'use either offset/limit or page/per_page, not both'],
    ['limit=5&per_page=5', 'use either offset/limit or page/per_page, not both'],
    ['sort=popularity', 'sort: unknown field "popularity"; sortable fields: id, name, price, created_at, updated_at'],
    ['sort=price,', 'sort: unknown field ""; sortable fields: id, name, price, created_at, updated_at'],
    ['price_lt=12,5', 'price_lt must be a non-negative number'],
    ['price_gte=-1', 'price_gte must be a non-negative number'],
    ['vendor_id=acme', 'vendor_id must be an integer'],
    ['in_stock=yes', 'in_stock must be true or false'],
    ['embed=vendor', 'embed: unknown value "vendor"; supported: reviews'],
    ['expand=reviews', 'expand: unknown value "reviews"; supported: vendor'],
  ])('rejects %s with 400', async (query, message) => {
    expectV1Error(await call('v1', 'GET', `/products?${query}`), 400, message);
  });

  it.each([
    ['sort=name&per_page=12', BY_NAME],
    ['sort=-name&per_page=12', [...BY_NAME].reverse()],
    ['sort=price,-name&per_page=12', BY_PRICE_THEN_NAME_DESCENDING],
    ['sort=price&per_page=5', [5, 2, 4, 10, 1]],
    ['sort=-price,name&per_page=4', [9, 12, 7, 6]],
    ['sort=-created_at&per_page=3', [12, 11, 10]],
    ['sort=-id&per_page=2', [12, 11]],
    ['sort=updated_at&per_page=2', [1, 2]],
  ])('sorts %s', async (query, expected) => {
    expect(ids((await call<Product[]>('v1', 'GET', `/products?${query}`)).body)).toEqual(expected);
  });

  it.each([
    ['price_gte=15', [6, 7, 9, 11, 12]],
    ['price_gt=15', [6, 7, 9, 12]],
    ['price_lte=3.99', [5]],
    ['price_lt=4.9', [5]],
    ['price_gte=5&price_lt=12.5', [4, 10]],
    ['name_like=ESPRESSO', [1, 2]],
    ['name_like=%C3%89MAILLE', [3]],
    ['name_like=%F0%9F%AB%96', [12]],
    ['vendor_id=1', [3, 5, 7, 11]],
    ['vendor_id=1&vendor_id=3', [3, 4, 5, 6, 7, 9, 11]],
    ['vendor_id=99', []],
    ['tag=tea', [8, 12]],
    ['tag=kitchen&tag=steel', [3, 7]],
    ['in_stock=false', [5, 9]],
    ['in_stock=true&vendor_id=3', [4, 6]],
    ['q=STEEL', [3, 5, 7, 12]],
    ['q=espresso', [1, 2]],
    ['q=%C3%A7ay', [8]],
    ['q=turkish', [8]],
    ['q=', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['q=steel&in_stock=true&sort=-price', [12, 7, 3]],
    ['vendor_id=2&price_lt=20&sort=price,-name', [2, 10, 8, 1]],
  ])('filters %s', async (query, expected) => {
    const reply = await call<Product[]>('v1', 'GET', `/products?${query}`);
    expect(ids(reply.body)).toEqual(expected);
  });

  it('embeds reviews and expands vendors on lists', async () => {
    const reply = await call<Product[]>('v1', 'GET', '/products?embed=reviews&expand=vendor&per_page=2');
    expect(Object.keys(reply.body[0]!)).toEqual([...V1_PRODUCT_KEYS, 'vendor', 'reviews']);
    expect(reply.body[0]!.vendor).toEqual({ id: 2, name: 'Café Olé Supplies', country: 'ES', email: 'hola@cafe-ole.example', created_at: '2025-11-10T10:30:00.000Z' });
    expect(ids(reply.body[0]!.reviews!)).toEqual([1, 2, 3]);
    expect(ids(reply.body[1]!.reviews!)).toEqual([4, 5]);
    expect(reply.body[1]!.reviews![0]).toEqual({ id: 4, product_id: 2, author: 'Lucía', rating: 4, comment: 'Fits the cup perfectly.', created_at: '2026-04-01T12:00:00.000Z' });

    const expandOnly = await call<Product[]>('v1', 'GET', '/products?expand=vendor&per_page=1');
    expect(Object.keys(expandOnly.body[0]!)).toEqual([...V1_PRODUCT_KEYS, 'vendor']);
    const embedTwice = await call<Product[]>('v1', 'GET', '/products?embed=reviews,reviews&per_page=1');
    expect(Object.keys(embedTwice.body[0]!)).toEqual([...V1_PRODUCT_KEYS, 'reviews']);
  });
});

describe('v1 products', () => {
  it('answers a product with a strong ETag over the exact body', async () => {
    const reply = await call<Product>('v1', 'GET', '/products/1');
    expect(reply.body).toEqual({
      id: 1,
      name: 'Espresso Cup',
      description: 'Double-walled porcelain cup for a single espresso.',
      price: 12.5,
      currency: 'EUR',
      vendor_id: 2,
      tags: ['coffee', 'kitchen', 'porcelain'],
      in_stock: true,
      created_at: '2026-02-01T08:00:00.000Z',
      updated_at: '2026-03-01T12:30:00.000Z',
    });
    expect(reply.headers.get('etag')).toBe(`"${createHash('sha256').update(reply.text).digest('base64url')}"`);
    expect(reply.headers.get('link')).toBeNull();
  });

  it('embeds and expands on a product, each variant with its own ETag', async () => {
    const plain = await call<Product>('v1', 'GET', '/products/7');
    const both = await call<Product>('v1', 'GET', '/products/7?expand=vendor&embed=reviews');
    expect(Object.keys(both.body)).toEqual([...V1_PRODUCT_KEYS, 'vendor', 'reviews']);
    expect(both.body.vendor?.name).toBe('Nordlicht Küchen GmbH');
    expect(both.body.reviews?.map((review) => review.author)).toEqual(['Noah', 'Élise', 'Ravi']);
    expect(both.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    expect(both.headers.get('etag')).toBe(`"${createHash('sha256').update(both.text).digest('base64url')}"`);
  });

  it.each([
    ['the current tag', (etag: string) => etag, 304],
    ['a list holding it in weak form', (etag: string) => `"x", W/${etag}`, 304],
    ['*', () => '*', 304],
    ['a stale tag', () => '"stale"', 200],
    ['the tag of another variant', (etag: string) => etag.replace(/^"./, '"_'), 200],
  ])('answers If-None-Match with %s', async (_label, header, status) => {
    const etag = (await call('v1', 'GET', '/products/1')).headers.get('etag')!;
    const reply = await call('v1', 'GET', '/products/1', { headers: { 'If-None-Match': header(etag) } });
    expect(reply.status).toBe(status);
    expect(reply.headers.get('etag')).toBe(etag);
    if (status === 304) {
      expect(reply.text).toBe('');
      expect(reply.headers.get('content-type')).toBeNull();
    }
  });

  it('changes the ETag when the product changes', async () => {
    const etag = (await call('v1', 'GET', '/products/1')).headers.get('etag')!;
    await call('v1', 'PATCH', '/products/1', { body: { name: 'Espresso Cup XL' } });
    const reply = await call('v1', 'GET', '/products/1', { headers: { 'If-None-Match': etag } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('etag')).not.toBe(etag);
  });

  it.each(['999', 'abc', '01', '1.0'])('answers 404 for product %s', async (id) => {
    expectV1Error(await call('v1', 'GET', `/products/${id}`), 404, `product ${id} not found`);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await call('v1', 'GET', '/products/1');
    const head = await send('v1', 'HEAD', '/products/1');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8');

    const list = await send('v1', 'HEAD', '/products?page=2&per_page=5');
    expect(list.text).toBe('');
    expect(list.headers.get('x-total-count')).toBe('12');
    expect(links(list).next).toBe(`${urls.v1}/products?page=3&per_page=5`);

    const conditional = await send('v1', 'HEAD', '/products/1', { headers: { 'If-None-Match': get.headers.get('etag')! } });
    expect(conditional.status).toBe(304);
    expect((await send('v1', 'HEAD', '/products/999')).status).toBe(404);
  });
});

describe('v1 product writes', () => {
  it('creates a product with defaults: 201, Location, ids continuing after the seed', async () => {
    const reply = await call<Product>('v1', 'POST', '/products', { body: { name: 'Milk Jug', price: 9.9, vendor_id: 2, unknown: 'ignored' } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe('/products/13');
    expect(Object.keys(reply.body)).toEqual(V1_PRODUCT_KEYS);
    expect(reply.body).toMatchObject({ id: 13, name: 'Milk Jug', description: '', price: 9.9, currency: 'EUR', vendor_id: 2, tags: [], in_stock: true });
    expectRecentTimestamp(reply.body.created_at);
    expect(reply.body.updated_at).toBe(reply.body.created_at);
    expect((await call<Product>('v1', 'GET', '/products/13')).body).toEqual(reply.body);

    const next = await call<Product>('v1', 'POST', '/products', {
      body: { name: 'Mörser', description: 'Granite.', price: 27, currency: 'CHF', vendor_id: 1, tags: ['stone'], in_stock: false },
    });
    expect(next.body).toMatchObject({ id: 14, description: 'Granite.', price: 27, currency: 'CHF', tags: ['stone'], in_stock: false });
    expect((await call('v1', 'GET', '/products?per_page=1')).headers.get('x-total-count')).toBe('14');
  });

  const validProduct = { name: 'Lamp', price: 30, vendor_id: 1 };
  it.each([
    [{ price: 5, vendor_id: 1 }, 'name is required'],
    [{ name: 'x', vendor_id: 1 }, 'price is required'],
    [{ name: 'x', price: 1 }, 'vendor_id is required'],
    [{ ...validProduct, name: '  ' }, 'name must be a non-empty string'],
    [{ ...validProduct, name: 7 }, 'name must be a non-empty string'],
    [{ ...validProduct, description: null }, 'description must be a string'],
    [{ ...validProduct, price: -1 }, 'price must be a non-negative number'],
    [{ ...validProduct, price: '30' }, 'price must be a non-negative number'],
    [{ ...validProduct, price: 1.999 }, 'price must have at most two decimals'],
    [{ ...validProduct, currency: 'eur' }, 'currency must be a three-letter ISO 4217 code'],
    [{ ...validProduct, vendor_id: '1' }, 'vendor_id must be an integer'],
    [{ ...validProduct, vendor_id: 9 }, 'vendor 9 does not exist'],
    [{ ...validProduct, tags: 'tea' }, 'tags must be an array of strings'],
    [{ ...validProduct, in_stock: 'yes' }, 'in_stock must be a boolean'],
  ])('rejects the new product %j with 422', async (body, message) => {
    expectV1Error(await call('v1', 'POST', '/products', { body }), 422, message);
  });

  it.each([
    ['{"name": "Lamp", "price": ', 'request body is not valid JSON'],
    ['[{"name": "Lamp"}]', 'request body must be a JSON object'],
    ['null', 'request body must be a JSON object'],
    ['', 'request body is empty; send a JSON object'],
  ])('rejects the body %j with 400', async (rawBody, message) => {
    expectV1Error(await call('v1', 'POST', '/products', { rawBody, headers: { 'Content-Type': 'application/json' } }), 400, message);
    expectV1Error(await call('v1', 'PATCH', '/products/1', { rawBody }), 400, message);
  });

  it('replaces a product with PUT, resetting optional fields to their defaults', async () => {
    const reply = await call<Product>('v1', 'PUT', '/products/2', { body: { name: 'Espresso Saucer', price: 5, vendor_id: 2 } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: 2, name: 'Espresso Saucer', description: '', price: 5, tags: [], in_stock: true, created_at: '2026-02-02T08:00:00.000Z' });
    expectRecentTimestamp(reply.body.updated_at);
    expect((await call<Product>('v1', 'GET', '/products/2')).body).toEqual(reply.body);
    expectV1Error(await call('v1', 'PUT', '/products/2', { body: { name: 'x', vendor_id: 2 } }), 422, 'price is required');
    expectV1Error(await call('v1', 'PUT', '/products/99', { body: { name: 'x', price: 1, vendor_id: 2 } }), 404, 'product 99 not found');
    expectV1Error(await call('v1', 'PUT', '/products/2', { rawBody: '{' }), 400, 'request body is not valid JSON');
  });

  it('updates only the given fields with PATCH', async () => {
    const reply = await call<Product>('v1', 'PATCH', '/products/5', { body: { price: 4.5, in_stock: true, tags: ['office'] } });
    expect(reply.body).toMatchObject({ id: 5, name: 'Ångström Ruler', description: 'Stainless steel ruler with millimetre marks.', price: 4.5, in_stock: true, tags: ['office'], vendor_id: 1 });
    expectRecentTimestamp(reply.body.updated_at);
    expect(ids((await call<Product[]>('v1', 'GET', '/products?in_stock=false')).body)).toEqual([9]);
    expectV1Error(await call('v1', 'PATCH', '/products/5', { body: { price: -2 } }), 422, 'price must be a non-negative number');
    expectV1Error(await call('v1', 'PATCH', '/products/5', { body: { vendor_id: 4 } }), 422, 'vendor 4 does not exist');
    expectV1Error(await call('v1', 'PATCH', '/products/999', { body: { price: 1 } }), 404, 'product 999 not found');
    expect((await call<Product>('v1', 'GET', '/products/5')).body.price).toBe(4.5);
  });

  it('deletes a product together with its reviews', async () => {
    const reply = await call('v1', 'DELETE', '/products/3');
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expectV1Error(await call('v1', 'GET', '/products/3'), 404, 'product 3 not found');
    expectV1Error(await call('v1', 'GET', '/reviews/6'), 404, 'review 6 not found');
    expectV1Error(await call('v1', 'GET', '/reviews/7'), 404, 'review 7 not found');
    expectV1Error(await call('v1', 'GET', '/products/3/reviews'), 404, 'product 3 not found');
    expect((await call<Review>('v1', 'GET', '/reviews/8')).body.product_id).toBe(4);
    expect((await call('v1', 'GET', '/products?per_page=1')).headers.get('x-total-count')).toBe('11');
    expectV1Error(await call('v1', 'DELETE', '/products/3'), 404, 'product 3 not found');
    // Ids are never reused.
    expect((await call<Product>('v1', 'POST', '/products', { body: { name: 'Mug', price: 1, vendor_id: 1 } })).body.id).toBe(13);
  });
});

describe('v1 reviews and vendors', () => {
  it('lists, sorts and pages a product\'s reviews', async () => {
    const reply = await call<Review[]>('v1', 'GET', '/products/1/reviews');
    expect(reply.headers.get('x-total-count')).toBe('3');
    expect(reply.body[0]).toEqual({ id: 1, product_id: 1, author: 'Jürgen', rating: 5, comment: 'Keeps the espresso hot.', created_at: '2026-04-01T09:00:00.000Z' });
    const sorted = await call<Review[]>('v1', 'GET', '/products/7/reviews?sort=-rating,created_at&per_page=2');
    expect(ids(sorted.body)).toEqual([15, 16]);
    expect(links(sorted).next).toBe(`${urls.v1}/products/7/reviews?sort=-rating,created_at&per_page=2&page=2`);
    expect(ids((await call<Review[]>('v1', 'GET', '/products/7/reviews?sort=rating')).body)).toEqual([17, 15, 16]);
    expectV1Error(await call('v1', 'GET', '/products/7/reviews?sort=author'), 400, 'sort: unknown field "author"; sortable fields: id, rating, created_at');
    expectV1Error(await call('v1', 'GET', '/products/999/reviews'), 404, 'product 999 not found');
  });

  it('creates a review with 201 and a Location that reads it back', async () => {
    const reply = await call<Review>('v1', 'POST', '/products/4/reviews', { body: { author: 'Đorđe', rating: 4 } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe('/reviews/29');
    expect(reply.body).toMatchObject({ id: 29, product_id: 4, author: 'Đorđe', rating: 4, comment: '' });
    expectRecentTimestamp(reply.body.created_at);
    expect((await call<Review>('v1', 'GET', '/reviews/29')).body).toEqual(reply.body);
    expect(ids((await call<Review[]>('v1', 'GET', '/products/4/reviews')).body)).toEqual([8, 9, 10, 29]);
  });

  it.each([
    [{ rating: 3 }, 'author is required'],
    [{ author: '', rating: 3 }, 'author must be a non-empty string'],
    [{ author: 'Max' }, 'rating is required'],
    [{ author: 'Max', rating: 6 }, 'rating must be an integer from 1 to 5'],
    [{ author: 'Max', rating: 4.5 }, 'rating must be an integer from 1 to 5'],
    [{ author: 'Max', rating: 4, comment: 5 }, 'comment must be a string'],
  ])('rejects the review %j with 422', async (body, message) => {
    expectV1Error(await call('v1', 'POST', '/products/4/reviews', { body }), 422, message);
  });

  it('rejects reviews of unknown products and malformed review bodies', async () => {
    expectV1Error(await call('v1', 'POST', '/products/999/reviews', { body: { author: 'a', rating: 1 } }), 404, 'product 999 not found');
    expectV1Error(await call('v1', 'POST', '/products/1/reviews', { rawBody: 'rating=5' }), 400, 'request body is not valid JSON');
    expectV1Error(await call('v1', 'GET', '/reviews/999'), 404, 'review 999 not found');
  });

  it('lists and reads vendors', async () => {
    const reply = await call<Vendor[]>('v1', 'GET', '/vendors');
    expect(reply.headers.get('x-total-count')).toBe('3');
    expect(reply.body[0]).toEqual({ id: 1, name: 'Nordlicht Küchen GmbH', country: 'DE', email: 'orders@nordlicht.example', created_at: '2025-11-03T09:00:00.000Z' });
    expect(ids((await call<Vendor[]>('v1', 'GET', '/vendors?sort=name')).body)).toEqual([2, 1, 3]);
    expect(ids((await call<Vendor[]>('v1', 'GET', '/vendors?sort=-country&per_page=2')).body)).toEqual([3, 2]);
    expectV1Error(await call('v1', 'GET', '/vendors?per_page=0'), 400, 'per_page must be an integer from 1 to 100');
    expect((await call<Vendor>('v1', 'GET', '/vendors/3')).body.name).toBe('acme kitchenware');
    expectV1Error(await call('v1', 'GET', '/vendors/9'), 404, 'vendor 9 not found');
  });
});

describe('v1 CORS', () => {
  it('reflects an allowed origin with credentials and the exposed headers', async () => {
    const reply = await call('v1', 'GET', '/products?per_page=1', { headers: { Origin: SHOP } });
    expect(reply.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(reply.headers.get('access-control-allow-credentials')).toBe('true');
    expect(reply.headers.get('access-control-expose-headers')).toBe('X-Total-Count, Link, ETag, Location');
    expect(reply.headers.get('vary')).toBe('Origin');
  });

  it.each([['https://evil.example'], ['https://shop.example.com.evil.example'], ['null']])('sends no CORS headers to %s', async (origin) => {
    const reply = await call('v1', 'GET', '/products/1', { headers: { Origin: origin } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    expect(reply.headers.get('access-control-allow-credentials')).toBeNull();
    expect(reply.headers.get('vary')).toBe('Origin');
  });

  it('answers a preflight from an allowed origin with the route\'s methods', async () => {
    const reply = await send('v1', 'OPTIONS', '/products/1', {
      headers: { Origin: 'https://admin.example.com', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(Object.fromEntries([...reply.headers].filter(([name]) => /^(access-control|allow|vary)/.test(name)))).toEqual({
      'access-control-allow-origin': 'https://admin.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'Content-Type, If-None-Match, X-HTTP-Method-Override',
      'access-control-max-age': '600',
      allow: 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS',
      vary: 'Origin',
    });
  });

  it('answers a preflight from a disallowed origin without CORS headers, and plain OPTIONS with Allow', async () => {
    const refused = await send('v1', 'OPTIONS', '/products', { headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(refused.status).toBe(204);
    expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control'))).toEqual([]);
    expect(refused.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');

    const plain = await send('v1', 'OPTIONS', '/products/1/reviews', { headers: { Origin: SHOP } });
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(plain.headers.get('access-control-allow-methods')).toBeNull();
    expectV1Error(await send('v1', 'OPTIONS', '/nowhere'), 404, 'no route for OPTIONS /nowhere');
  });

  it('puts CORS headers on errors and on overridden requests, with Origin in Vary once', async () => {
    const error = await call('v1', 'GET', '/products/999', { headers: { Origin: SHOP } });
    expect(error.status).toBe(404);
    expect(error.headers.get('access-control-allow-origin')).toBe(SHOP);
    const overridden = await call('v1', 'POST', '/products/1', { headers: { Origin: SHOP, 'X-HTTP-Method-Override': 'PATCH' }, body: { price: 1 } });
    expect(overridden.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(overridden.headers.get('vary')).toBe('Origin');
    const badOverride = await call('v1', 'POST', '/products/1', { headers: { Origin: SHOP, 'X-HTTP-Method-Override': 'TRACE' } });
    expect(badOverride.status).toBe(400);
    expect(badOverride.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('takes its allow-list from the factory', async () => {
    const app = createV1Service({ allowedOrigins: ['http://localhost:5173'] }).app;
    const allowed = await app.request('/vendors', { headers: { Origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const former = await app.request('/vendors', { headers: { Origin: SHOP } });
    expect(former.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('v1 method override', () => {
  it.each([
    ['PATCH', { price: 9.99 }, 200],
    ['patch', { price: 9.99 }, 200],
    ['PUT', { name: 'Cup', price: 9.99, vendor_id: 1 }, 200],
  ])('acts as %s', async (method, body, status) => {
    const reply = await call<Product>('v1', 'POST', '/products/1', { headers: { 'X-HTTP-Method-Override': method }, body });
    expect(reply.status).toBe(status);
    expect(reply.body.price).toBe(9.99);
    expect((await call<Product>('v1', 'GET', '/products/1')).body.price).toBe(9.99);
  });

  it('acts as DELETE, with the cascade', async () => {
    const reply = await call('v1', 'POST', '/products/2', { headers: { 'X-HTTP-Method-Override': 'DELETE' } });
    expect(reply.status).toBe(204);
    expectV1Error(await call('v1', 'GET', '/products/2'), 404, 'product 2 not found');
    expectV1Error(await call('v1', 'GET', '/reviews/4'), 404, 'review 4 not found');
  });

  it('validates as the overriding method, and refuses methods it cannot override to', async () => {
    expectV1Error(await call('v1', 'POST', '/products/1', { headers: { 'X-HTTP-Method-Override': 'PUT' }, body: { price: 1 } }), 422, 'name is required');
    expectV1Error(await call('v1', 'POST', '/products/1', { headers: { 'X-HTTP-Method-Override': 'GET' } }), 400, 'X-HTTP-Method-Override must be one of PUT, PATCH, DELETE, not "GET"');
    const onCollection = await send('v1', 'POST', '/vendors/1', { headers: { 'X-HTTP-Method-Override': 'DELETE' } });
    expectV1Error(onCollection, 405, 'method DELETE is not allowed on /vendors/1');
    // Only POST is overridden: the header on a GET changes nothing.
    expect((await call('v1', 'GET', '/products/1', { headers: { 'X-HTTP-Method-Override': 'DELETE' } })).status).toBe(200);
  });
});

describe('v1 routing errors', () => {
  it.each([
    ['GET', '/categories', 404, 'no route for GET /categories', null],
    ['GET', '/v2/products', 404, 'no route for GET /v2/products', null],
    ['DELETE', '/vendors/1', 405, 'method DELETE is not allowed on /vendors/1', 'GET, HEAD'],
    ['POST', '/products/1', 405, 'method POST is not allowed on /products/1', 'GET, HEAD, PUT, PATCH, DELETE'],
    ['PUT', '/products', 405, 'method PUT is not allowed on /products', 'GET, HEAD, POST'],
  ])('answers %s %s with %i', async (method, path, status, message, allow) => {
    const reply = await send('v1', method, path);
    expectV1Error(reply, status, message);
    expect(reply.headers.get('allow')).toBe(allow);
  });
});

describe('v2 product lists', () => {
  type Products = ListDocument<ProductV2>;

  it('answers a page in a { data, links, meta } envelope', async () => {
    const reply = await call<Products>('v2', 'GET', '/v2/products?page[size]=5');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.headers.get('x-total-count')).toBeNull();
    expect(reply.headers.get('link')).toBeNull();
    expect(ids(reply.body.data)).toEqual(['1', '2', '3', '4', '5']);
    expect(Object.keys(reply.body.data[0]!)).toEqual(V2_PRODUCT_KEYS);
    expect(reply.body.meta).toEqual({ total: 12 });
    expect(reply.body.links).toEqual({
      self: '/v2/products?page%5Bsize%5D=5&page%5Bnumber%5D=1',
      first: '/v2/products?page%5Bsize%5D=5&page%5Bnumber%5D=1',
      prev: null,
      next: '/v2/products?page%5Bsize%5D=5&page%5Bnumber%5D=2',
      last: '/v2/products?page%5Bsize%5D=5&page%5Bnumber%5D=3',
    });
  });

  it.each([
    ['', seedIds().map(String), { prev: null, next: null, last: 1 }],
    ['page[number]=2&page[size]=5', ['6', '7', '8', '9', '10'], { prev: 1, next: 3, last: 3 }],
    ['page[number]=3&page[size]=5', ['11', '12'], { prev: 2, next: null, last: 3 }],
    ['page[number]=9&page[size]=5', [], { prev: 3, next: null, last: 3 }],
    ['page[size]=100', seedIds().map(String), { prev: null, next: null, last: 1 }],
  ])('pages %s', async (query, expected, pages) => {
    const reply = await call<Products>('v2', 'GET', `/v2/products?${query}`);
    expect(ids(reply.body.data)).toEqual(expected);
    const pageOf = (link: string | null) => (link === null ? null : Number(/page%5Bnumber%5D=(\d+)/.exec(link)![1]));
    expect({ prev: pageOf(reply.body.links.prev), next: pageOf(reply.body.links.next), last: pageOf(reply.body.links.last) }).toEqual(pages);
  });

  it('keeps the other parameters of the request in its links', async () => {
    const reply = await call<Products>('v2', 'GET', '/v2/products?filter[tags][all]=kitchen&sort=-price&page[size]=2');
    expect(reply.body.links.next).toBe('/v2/products?filter[tags][all]=kitchen&sort=-price&page%5Bsize%5D=2&page%5Bnumber%5D=2');
    expect(reply.body.meta.total).toBe(6);
  });

  it.each([
    ['sort=name&page[size]=12', BY_NAME],
    ['sort=price,-name&page[size]=12', BY_PRICE_THEN_NAME_DESCENDING],
    ['sort=-created_at&page[size]=3', [12, 11, 10]],
    ['filter[price][gte]=1500', [6, 7, 9, 11, 12]],
    ['filter[price][gt]=1500', [6, 7, 9, 12]],
    ['filter[price][lte]=399', [5]],
    ['filter[price][lt]=490', [5]],
    ['filter[price]=1250', [1, 3, 8]],
    ['filter[price][gte]=500&filter[price][lt]=1250', [4, 10]],
    ['filter[name][contains]=ESPRESSO', [1, 2]],
    ['filter[name]=%C3%89MAILLE', [3]],
    ['filter[vendor]=1', [3, 5, 7, 11]],
    ['filter[vendor][in]=1,3', [3, 4, 5, 6, 7, 9, 11]],
    ['filter[tags]=tea', [8, 12]],
    ['filter[tags][all]=kitchen,steel', [3, 7]],
    ['filter[availability]=out_of_stock', [5, 9]],
    ['filter[id][in]=12,3,7', [3, 7, 12]],
    ['filter[price][gte]=100000', []],
    ['filter[vendor]=2&filter[price][lt]=2000&sort=price,-name', [2, 10, 8, 1]],
  ])('lists %s', async (query, expected) => {
    expect(ids((await call<Products>('v2', 'GET', `/v2/products?${query}`)).body.data)).toEqual(expected.map(String));
  });

  it.each([
    ['q=steel', [{ parameter: 'q', detail: 'is not a supported query parameter' }]],
    ['include=reviews', [{ parameter: 'include', detail: 'is not a supported query parameter' }]],
    ['page=2&per_page=5', [{ parameter: 'page', detail: 'is not a supported query parameter' }, { parameter: 'per_page', detail: 'is not a supported query parameter' }]],
    ['page[size]=0', [{ parameter: 'page[size]', detail: 'must be an integer from 1 to 100' }]],
    ['page[size]=101&page[number]=x', [{ parameter: 'page[size]', detail: 'must be an integer from 1 to 100' }, { parameter: 'page[number]', detail: 'must be an integer >= 1' }]],
    ['sort=id', [{ parameter: 'sort', detail: 'cannot sort by "id"; sortable: name, price, created_at, updated_at' }]],
    ['filter[price][gte]=12.5', [{ parameter: 'filter[price][gte]', detail: 'must be a non-negative integer' }]],
    ['filter[price][contains]=1', [{ parameter: 'filter[price][contains]', detail: 'operator "contains" is not supported here; use eq, gt, gte, lt, lte' }]],
    ['filter[in_stock]=true', [{ parameter: 'filter[in_stock]', detail: 'cannot filter on "in_stock"; filterable: id, name, price, vendor, tags, availability' }]],
    ['filter[availability]=yes', [{ parameter: 'filter[availability]', detail: 'must be one of in_stock, out_of_stock' }]],
    ['filter[vendor][in]=1,,2', [{ parameter: 'filter[vendor][in]', detail: 'must not be empty' }]],
    ['filter[vendor]=1&filter[vendor]=2', [{ parameter: 'filter[vendor]', detail: 'is given more than once' }]],
  ])('rejects %s with 400, naming every bad parameter', async (query, errors) => {
    const reply = await call('v2', 'GET', `/v2/products?${query}`);
    expectProblem(reply, 400, 'invalid-query', { title: 'Invalid query parameters', instance: '/v2/products', errors });
  });
});

describe('v2 products', () => {
  it('answers a product in a { data, links } document, without an ETag', async () => {
    const reply = await call<ItemDocument<ProductV2>>('v2', 'GET', '/v2/products/1');
    expect(reply.body).toEqual({
      data: {
        id: '1',
        name: 'Espresso Cup',
        description: 'Double-walled porcelain cup for a single espresso.',
        price: { amount: 1250, currency: 'EUR' },
        vendor_id: '2',
        tags: ['coffee', 'kitchen', 'porcelain'],
        availability: 'in_stock',
        created_at: '2026-02-01T08:00:00.000Z',
        updated_at: '2026-03-01T12:30:00.000Z',
      },
      links: { self: '/v2/products/1' },
    });
    expect(reply.headers.get('etag')).toBeNull();
    expect((await call<ItemDocument<ProductV2>>('v2', 'GET', '/v2/products/11')).body.data.description).toBeNull();
    const conditional = await call('v2', 'GET', '/v2/products/1', { headers: { 'If-None-Match': '*' } });
    expect(conditional.status).toBe(200);
  });

  it.each(['999', 'abc', '01'])('answers a 404 problem for product %s', async (id) => {
    expectProblem(await call('v2', 'GET', `/v2/products/${id}`), 404, 'not-found', { title: 'Resource not found', detail: `product ${id} does not exist`, instance: `/v2/products/${id}` });
  });

  it('creates a product with 200, no Location, and ids continuing after the seed', async () => {
    const reply = await call<ItemDocument<ProductV2>>('v2', 'POST', '/v2/products', {
      body: { name: 'Milk Jug', price: { amount: 990, currency: 'EUR' }, vendor_id: '2' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('location')).toBeNull();
    expect(reply.body.links).toEqual({ self: '/v2/products/13' });
    expect(reply.body.data).toMatchObject({ id: '13', description: null, price: { amount: 990, currency: 'EUR' }, vendor_id: '2', tags: [], availability: 'in_stock' });
    expectRecentTimestamp(reply.body.data.created_at);
    expect((await call<ItemDocument<ProductV2>>('v2', 'GET', '/v2/products/13')).body).toEqual(reply.body);

    const next = await call<ItemDocument<ProductV2>>('v2', 'POST', '/v2/products', {
      body: { name: 'Mörser', description: '', price: { amount: 2700, currency: 'CHF' }, vendor_id: '1', tags: ['stone'], availability: 'out_of_stock' },
    });
    expect(next.body.data).toMatchObject({ id: '14', description: null, availability: 'out_of_stock', tags: ['stone'] });
  });

  it('reports every invalid field of a new product at once, with JSON pointers', async () => {
    const reply = await call('v2', 'POST', '/v2/products', {
      body: { name: '', price: { amount: 12.5, currency: 'eur', cents: 1 }, vendor_id: 9, in_stock: true, id: '5', tags: [1] },
    });
    expectProblem(reply, 422, 'validation-failed', {
      title: 'Validation failed',
      detail: '8 fields are invalid',
      errors: [
        { pointer: '/in_stock', detail: 'is not a known field' },
        { pointer: '/id', detail: 'is read-only' },
        { pointer: '/name', detail: 'must be a non-empty string' },
        { pointer: '/price/cents', detail: 'is not a known field' },
        { pointer: '/price/amount', detail: 'must be a non-negative integer (minor units)' },
        { pointer: '/price/currency', detail: 'must be a three-letter ISO 4217 code' },
        { pointer: '/vendor_id', detail: 'must be a string' },
        { pointer: '/tags', detail: 'must be an array of strings' },
      ],
    });
  });

  it.each([
    [{}, [{ pointer: '/name', detail: 'is required' }, { pointer: '/price', detail: 'is required' }, { pointer: '/vendor_id', detail: 'is required' }]],
    [{ name: 'x', price: 5, vendor_id: '1' }, [{ pointer: '/price', detail: 'must be an object with amount and currency' }]],
    [{ name: 'x', price: {}, vendor_id: '9' }, [{ pointer: '/price/amount', detail: 'is required' }, { pointer: '/price/currency', detail: 'is required' }, { pointer: '/vendor_id', detail: 'vendor 9 does not exist' }]],
    [{ name: 'x', price: { amount: -1, currency: 'EUR' }, vendor_id: '1', availability: true }, [{ pointer: '/price/amount', detail: 'must be a non-negative integer (minor units)' }, { pointer: '/availability', detail: 'must be one of in_stock, out_of_stock' }]],
    [{ name: 'x', 'a/b~': 1, price: { amount: 1, currency: 'EUR' }, vendor_id: '1' }, [{ pointer: '/a~1b~0', detail: 'is not a known field' }]],
  ])('rejects the new product %j with 422', async (body, errors) => {
    expectProblem(await call('v2', 'POST', '/v2/products', { body }), 422, 'validation-failed', { errors });
  });

  it('refuses bodies that are not JSON objects or not sent as JSON', async () => {
    expectProblem(await call('v2', 'POST', '/v2/products', { rawBody: '{"name":', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-json', {
      detail: 'the request body is not valid JSON',
    });
    expectProblem(await call('v2', 'POST', '/v2/products', { rawBody: '[]', headers: { 'Content-Type': 'application/json' } }), 422, 'validation-failed', {
      errors: [{ pointer: '', detail: 'must be an object' }],
    });
    expectProblem(await call('v2', 'POST', '/v2/products', { rawBody: '{"name":"x"}' }), 415, 'unsupported-media-type', {
      title: 'Unsupported media type',
      detail: 'send the body as application/json, not "text/plain"',
    });
    expectProblem(await call('v2', 'PATCH', '/v2/products/1', { rawBody: '{}', headers: { 'Content-Type': 'text/csv' } }), 415, 'unsupported-media-type');
  });

  it('applies a PATCH as a JSON merge patch', async () => {
    const reply = await call<ItemDocument<ProductV2>>('v2', 'PATCH', '/v2/products/5', {
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: { price: { amount: 450 }, availability: 'in_stock', description: null, tags: ['office'] },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: '5', name: 'Ångström Ruler', description: null, price: { amount: 450, currency: 'EUR' }, availability: 'in_stock', tags: ['office'] });
    expectRecentTimestamp(reply.body.data.updated_at);
    expect((await call<ItemDocument<ProductV2>>('v2', 'GET', '/v2/products/5')).body).toEqual(reply.body);
    const currencyOnly = await call<ItemDocument<ProductV2>>('v2', 'PATCH', '/v2/products/5', { body: { price: { currency: 'USD' } } });
    expect(currencyOnly.body.data.price).toEqual({ amount: 450, currency: 'USD' });
  });

  it.each([
    [{ name: null }, [{ pointer: '/name', detail: 'must be a non-empty string' }]],
    [{ price: null }, [{ pointer: '/price', detail: 'must be an object' }]],
    [{ price: { amount: '4' } }, [{ pointer: '/price/amount', detail: 'must be a non-negative integer (minor units)' }]],
    [{ in_stock: false, vendor_id: '4' }, [{ pointer: '/in_stock', detail: 'is not a known field' }, { pointer: '/vendor_id', detail: 'vendor 4 does not exist' }]],
    [{ created_at: '2020-01-01T00:00:00.000Z' }, [{ pointer: '/created_at', detail: 'is read-only' }]],
  ])('rejects the patch %j with 422 and changes nothing', async (body, errors) => {
    expectProblem(await call('v2', 'PATCH', '/v2/products/5', { body }), 422, 'validation-failed', { errors });
    expect((await call<ItemDocument<ProductV2>>('v2', 'GET', '/v2/products/5')).body.data.updated_at).toBe('2026-03-05T12:30:00.000Z');
  });

  it('answers PATCH of an unknown product and malformed patches', async () => {
    expectProblem(await call('v2', 'PATCH', '/v2/products/999', { body: { name: 'x' } }), 404, 'not-found');
    expectProblem(await call('v2', 'PATCH', '/v2/products/1', { rawBody: '{', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-json');
  });

  it('has no PUT: 405 with Allow', async () => {
    const reply = await send('v2', 'PUT', '/v2/products/1', { body: { name: 'x' } });
    expectProblem(reply, 405, 'method-not-allowed', { detail: 'PUT is not supported on /v2/products/1; use GET, PATCH, DELETE' });
    expect(reply.headers.get('allow')).toBe('GET, PATCH, DELETE');
  });

  it('deletes a product with 204 and keeps its reviews', async () => {
    const reply = await call('v2', 'DELETE', '/v2/products/3');
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expectProblem(await call('v2', 'GET', '/v2/products/3'), 404, 'not-found');
    expectProblem(await call('v2', 'GET', '/v2/products/3/reviews'), 404, 'not-found', { detail: 'product 3 does not exist' });
    expect((await call<ItemDocument<ReviewV2>>('v2', 'GET', '/v2/reviews/6')).body.data.product_id).toBe('3');
    expect(ids((await call<ListDocument<ReviewV2>>('v2', 'GET', '/v2/reviews?filter[product]=3')).body.data)).toEqual(['6', '7']);
    expect((await call<ListDocument<ProductV2>>('v2', 'GET', '/v2/products')).body.meta.total).toBe(11);
    expectProblem(await call('v2', 'DELETE', '/v2/products/3'), 404, 'not-found');
    expect((await call<ItemDocument<ProductV2>>('v2', 'POST', '/v2/products', { body: { name: 'Mug', price: { amount: 1, currency: 'EUR' }, vendor_id: '1' } })).body.data.id).toBe('13');
  });
});

describe('v2 reviews and vendors', () => {
  type Reviews = ListDocument<ReviewV2>;

  it('lists the reviews of a batch of products', async () => {
    const reply = await call<Reviews>('v2', 'GET', '/v2/reviews?filter[product][in]=1,2,3');
    expect(ids(reply.body.data)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(reply.body.data[0]).toEqual({ id: '1', product_id: '1', rating: 5, text: 'Keeps the espresso hot.', reviewer: { display_name: 'Jürgen' }, created_at: '2026-04-01T09:00:00.000Z' });
    expect(reply.body.meta.total).toBe(7);
    const all = await call<Reviews>('v2', 'GET', '/v2/reviews');
    expect(all.body.meta.total).toBe(28);
    expect(all.body.data).toHaveLength(20);
    expect(all.body.links.next).toBe('/v2/reviews?page%5Bnumber%5D=2&page%5Bsize%5D=20');
  });

  it.each([
    ['filter[product]=7&sort=-rating,created_at', ['15', '16', '17']],
    ['filter[id][in]=3,1', ['1', '3']],
    ['filter[rating][lte]=2', ['5', '12', '21']],
    ['filter[rating]=1', ['12']],
    ['filter[product][in]=4&page[size]=2&page[number]=2', ['10']],
  ])('lists reviews %s', async (query, expected) => {
    expect(ids((await call<Reviews>('v2', 'GET', `/v2/reviews?${query}`)).body.data)).toEqual(expected);
  });

  it('lists the reviews of one product under the product', async () => {
    const reply = await call<Reviews>('v2', 'GET', '/v2/products/7/reviews?sort=rating&page[size]=2');
    expect(ids(reply.body.data)).toEqual(['17', '15']);
    expect(reply.body.links.next).toBe('/v2/products/7/reviews?sort=rating&page%5Bsize%5D=2&page%5Bnumber%5D=2');
    expectProblem(await call('v2', 'GET', '/v2/products/7/reviews?filter[rating]=5'), 400, 'invalid-query', {
      errors: [{ parameter: 'filter[rating]', detail: 'cannot filter on "rating"; filterable: nothing' }],
    });
    expectProblem(await call('v2', 'GET', '/v2/reviews?embed=product'), 400, 'invalid-query');
  });

  it('creates a review with 200 at /v2/reviews', async () => {
    const reply = await call<ItemDocument<ReviewV2>>('v2', 'POST', '/v2/reviews', { body: { product_id: '4', rating: 4, reviewer: { display_name: 'Đorđe' } } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ data: { id: '29', product_id: '4', rating: 4, text: '', reviewer: { display_name: 'Đorđe' } }, links: { self: '/v2/reviews/29' } });
    expect((await call<ItemDocument<ReviewV2>>('v2', 'GET', '/v2/reviews/29')).body).toEqual(reply.body);
    expect((await call<Reviews>('v2', 'GET', '/v2/products/4/reviews')).body.meta.total).toBe(4);
  });

  it.each([
    [{}, [{ pointer: '/product_id', detail: 'is required' }, { pointer: '/rating', detail: 'is required' }, { pointer: '/reviewer', detail: 'is required' }]],
    [{ product_id: 4, rating: 6, reviewer: { display_name: 'x' } }, [{ pointer: '/product_id', detail: 'must be a string' }, { pointer: '/rating', detail: 'must be an integer from 1 to 5' }]],
    [{ product_id: '99', rating: 3, reviewer: { name: 'x' }, text: 1 }, [
      { pointer: '/product_id', detail: 'product 99 does not exist' },
      { pointer: '/text', detail: 'must be a string' },
      { pointer: '/reviewer/name', detail: 'is not a known field' },
      { pointer: '/reviewer/display_name', detail: 'must be a non-empty string' },
    ]],
    [{ product_id: '1', rating: 3, reviewer: 'Max', author: 'Max' }, [{ pointer: '/author', detail: 'is not a known field' }, { pointer: '/reviewer', detail: 'must be an object' }]],
  ])('rejects the review %j with 422', async (body, errors) => {
    expectProblem(await call('v2', 'POST', '/v2/reviews', { body }), 422, 'validation-failed', { errors });
  });

  it('refuses malformed and non-JSON review bodies, and unknown reviews', async () => {
    expectProblem(await call('v2', 'POST', '/v2/reviews', { rawBody: '{', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed-json');
    expectProblem(await call('v2', 'POST', '/v2/reviews', { rawBody: 'rating=5', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported-media-type');
    expectProblem(await call('v2', 'GET', '/v2/reviews/999'), 404, 'not-found', { detail: 'review 999 does not exist' });
    expectProblem(await call('v2', 'POST', '/v2/products/1/reviews', { body: { rating: 5 } }), 405, 'method-not-allowed');
  });

  it('lists vendors, by id batch too, and reads one', async () => {
    type Vendors = ListDocument<VendorV2>;
    const reply = await call<Vendors>('v2', 'GET', '/v2/vendors');
    expect(reply.body.data[0]).toEqual({ id: '1', name: 'Nordlicht Küchen GmbH', country_code: 'DE', support_email: 'orders@nordlicht.example', created_at: '2025-11-03T09:00:00.000Z' });
    expect(ids((await call<Vendors>('v2', 'GET', '/v2/vendors?filter[id][in]=3,1')).body.data)).toEqual(['1', '3']);
    expect(ids((await call<Vendors>('v2', 'GET', '/v2/vendors?sort=-name')).body.data)).toEqual(['3', '1', '2']);
    expect(ids((await call<Vendors>('v2', 'GET', '/v2/vendors?filter[country_code]=ES')).body.data)).toEqual(['2']);
    expectProblem(await call('v2', 'GET', '/v2/vendors?sort=country'), 400, 'invalid-query');
    expect((await call<ItemDocument<VendorV2>>('v2', 'GET', '/v2/vendors/2')).body).toEqual({
      data: { id: '2', name: 'Café Olé Supplies', country_code: 'ES', support_email: 'hola@cafe-ole.example', created_at: '2025-11-10T10:30:00.000Z' },
      links: { self: '/v2/vendors/2' },
    });
    expectProblem(await call('v2', 'GET', '/v2/vendors/9'), 404, 'not-found', { detail: 'vendor 9 does not exist' });
  });
});

describe('v2 CORS, HEAD and routing', () => {
  it('allows every origin, without credentials', async () => {
    const reply = await call('v2', 'GET', '/v2/products/1', { headers: { Origin: 'https://evil.example' } });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-credentials')).toBeNull();
    expect(reply.headers.get('vary')).toBeNull();
    const error = await call('v2', 'GET', '/v2/products/999', { headers: { Origin: SHOP } });
    expect(error.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers preflights for any origin', async () => {
    const reply = await send('v2', 'OPTIONS', '/v2/products/1', { headers: { Origin: SHOP, 'Access-Control-Request-Method': 'PATCH' } });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET,POST,PATCH,DELETE');
    expect(reply.headers.get('access-control-allow-headers')).toBe('Content-Type');
    expect(reply.headers.get('access-control-max-age')).toBe('86400');
  });

  it('answers HEAD like GET without a body', async () => {
    const reply = await send('v2', 'HEAD', '/v2/products/1');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(reply.headers.get('content-type')).toBe('application/json');
  });

  it.each([
    ['GET', '/products'],
    ['GET', '/v2/categories'],
    ['GET', '/v2'],
  ])('answers a 404 problem for %s %s', async (method, path) => {
    expectProblem(await send('v2', method, path), 404, 'not-found', { detail: `no route for ${method} ${path}` });
  });

  it('ignores X-HTTP-Method-Override', async () => {
    const reply = await send('v2', 'POST', '/v2/products/1', { headers: { 'X-HTTP-Method-Override': 'DELETE' } });
    expectProblem(reply, 405, 'method-not-allowed');
    expect((await call('v2', 'GET', '/v2/products/1')).status).toBe(200);
  });
});

describe('the shared seed', () => {
  it('is served by both versions, each in its own representation', async () => {
    const v1Products = (await call<Product[]>('v1', 'GET', '/products?per_page=100&embed=reviews')).body;
    const v2Products = (await call<ListDocument<ProductV2>>('v2', 'GET', '/v2/products?page[size]=100')).body.data;
    const v2Reviews = (await call<ListDocument<ReviewV2>>('v2', 'GET', '/v2/reviews?page[size]=100')).body.data;
    expect(v1Products).toHaveLength(CATALOG_SEED.products.length);
    expect(v2Reviews).toHaveLength(CATALOG_SEED.reviews.length);

    for (const [index, v1] of v1Products.entries()) {
      expect(v2Products[index]).toEqual({
        id: String(v1.id),
        name: v1.name,
        description: v1.description === '' ? null : v1.description,
        price: { amount: Math.round(v1.price * 100), currency: v1.currency },
        vendor_id: String(v1.vendor_id),
        tags: v1.tags,
        availability: v1.in_stock ? 'in_stock' : 'out_of_stock',
        created_at: v1.created_at,
        updated_at: v1.updated_at,
      });
      expect(v2Reviews.filter((review) => review.product_id === String(v1.id))).toEqual(
        v1.reviews!.map((review) => ({
          id: String(review.id),
          product_id: String(review.product_id),
          rating: review.rating,
          text: review.comment,
          reviewer: { display_name: review.author },
          created_at: review.created_at,
        })),
      );
    }

    const v1Vendors = (await call<Vendor[]>('v1', 'GET', '/vendors')).body;
    const v2Vendors = (await call<ListDocument<VendorV2>>('v2', 'GET', '/v2/vendors')).body.data;
    expect(v2Vendors).toEqual(
      v1Vendors.map((vendor) => ({ id: String(vendor.id), name: vendor.name, country_code: vendor.country, support_email: vendor.email, created_at: vendor.created_at })),
    );
  });

  it('has names whose code-point order differs from case-insensitive and locale order', () => {
    const names = CATALOG_SEED.products.map((product) => product.name);
    const codePoint = [...names].sort(compareCodePoints);
    expect(codePoint).not.toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(codePoint).not.toEqual([...names].sort((a, b) => compareCodePoints(a.toLowerCase(), b.toLowerCase())));
    expect(new Set(CATALOG_SEED.products.map((product) => product.price_cents)).size).toBeLessThan(names.length);
  });

  it('hands out corresponding ids on both sides for the same writes from the same state', async () => {
    await call('v1', 'DELETE', '/products/12');
    await call('v2', 'DELETE', '/v2/products/12');
    const v1Product = await call<Product>('v1', 'POST', '/products', { body: { name: 'Jug', price: 3, vendor_id: 1 } });
    const v2Product = await call<ItemDocument<ProductV2>>('v2', 'POST', '/v2/products', { body: { name: 'Jug', price: { amount: 300, currency: 'EUR' }, vendor_id: '1' } });
    expect(v2Product.body.data.id).toBe(String(v1Product.body.id));
    expect(v1Product.body.id).toBe(13);

    const v1Review = await call<Review>('v1', 'POST', '/products/13/reviews', { body: { author: 'A', rating: 2 } });
    const v2Review = await call<ItemDocument<ReviewV2>>('v2', 'POST', '/v2/reviews', { body: { product_id: '13', rating: 2, reviewer: { display_name: 'A' } } });
    expect(v2Review.body.data.id).toBe(String(v1Review.body.id));
    expect(v1Review.body.id).toBe(29);
  });

  it('comes back on POST /__reset, with the id sequences restarted', async () => {
    await call('v1', 'POST', '/products', { body: { name: 'a', price: 1, vendor_id: 1 } });
    await call('v1', 'DELETE', '/products/1');
    await call('v1', 'PATCH', '/products/2', { body: { name: 'changed' } });
    await call('v2', 'POST', '/v2/products', { body: { name: 'a', price: { amount: 1, currency: 'EUR' }, vendor_id: '1' } });
    await call('v2', 'DELETE', '/v2/products/1');

    expect((await call('v1', 'POST', '/__reset')).status).toBe(204);
    expect((await call('v2', 'POST', '/__reset')).status).toBe(204);

    const v1List = await call<Product[]>('v1', 'GET', '/products?per_page=100');
    expect(ids(v1List.body)).toEqual(seedIds());
    expect(v1List.body[1]!.name).toBe('espresso saucer');
    expect((await call<Review[]>('v1', 'GET', '/products/1/reviews')).body).toHaveLength(3);
    expect((await call<ListDocument<ProductV2>>('v2', 'GET', '/v2/products')).body.meta.total).toBe(12);
    expect((await call<Product>('v1', 'POST', '/products', { body: { name: 'a', price: 1, vendor_id: 1 } })).body.id).toBe(13);
    expect((await call<ItemDocument<ProductV2>>('v2', 'POST', '/v2/products', { body: { name: 'a', price: { amount: 1, currency: 'EUR' }, vendor_id: '1' } })).body.data.id).toBe('13');
  });

  it('comes back on reset() without HTTP, and is never changed through a service', async () => {
    const v1 = createV1Service();
    const v2 = createV2Service();
    await v1.app.request('/products/1', { method: 'DELETE' });
    await v2.app.request('/v2/products/2', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' });
    expect((await v1.app.request('/products/1')).status).toBe(404);
    v1.reset();
    v2.reset();
    expect((await v1.app.request('/products/1')).status).toBe(200);
    expect(((await (await v2.app.request('/v2/products/2')).json()) as ItemDocument<ProductV2>).data.name).toBe('espresso saucer');
    expect(CATALOG_SEED.products[1]!.name).toBe('espresso saucer');
    expect(Object.isFrozen(CATALOG_SEED.products[0]!.tags)).toBe(true);
  });
});

// ---- the v1 exchange fixture -------------------------------------------------------------

const fixture = { exchanges: catalogExchanges() };

/** Where `actual` differs from the expectation, as readable lines (empty when it matches). */
function mismatches(expected: unknown, actual: unknown, where: string): string[] {
  if (isPlainObject(expected) && '$regex' in expected) {
    return typeof actual === 'string' && new RegExp(String(expected.$regex)).test(actual) ? [] : [`${where}: ${JSON.stringify(actual)} does not match /${String(expected.$regex)}/`];
  }
  if (isPlainObject(expected) && '$exists' in expected) {
    return (actual !== undefined) === expected.$exists ? [] : [`${where}: ${expected.$exists ? 'missing' : `unexpected ${JSON.stringify(actual)}`}`];
  }
  if (isPlainObject(expected) && '$length' in expected) {
    const length = Array.isArray(actual) || typeof actual === 'string' ? actual.length : undefined;
    return length === expected.$length ? [] : [`${where}: length ${String(length)}, expected ${String(expected.$length)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${where}: ${JSON.stringify(actual)} is not an array of ${expected.length}`];
    return expected.flatMap((item, index) => mismatches(item, actual[index], `${where}[${index}]`));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [`${where}: ${JSON.stringify(actual)} is not an object`];
    return Object.entries(expected).flatMap(([key, value]) => mismatches(value, actual[key], `${where}.${key}`));
  }
  return Object.is(expected, actual) ? [] : [`${where}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces ${name} in every string of a value with a captured value. */
function substitute<T>(value: T, captured: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (_match, name: string) => {
      if (!(name in captured)) throw new Error(`\${${name}} was not captured by an earlier step`);
      return captured[name]!;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, captured)) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, captured)])) as T;
  return value;
}

function capturedValue(path: string, reply: Reply<unknown>): string {
  const [source, ...rest] = path.split('.');
  if (source === 'headers') return reply.headers.get(rest.join('.')) ?? '';
  const value = rest.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], reply.body);
  return String(value);
}

describe('the v1 exchange fixture', () => {
  it('has 50 to 70 named exchanges, each a request or ordered steps', () => {
    expect(fixture.exchanges.length).toBeGreaterThanOrEqual(50);
    expect(fixture.exchanges.length).toBeLessThanOrEqual(70);
    const names = fixture.exchanges.map((exchange) => exchange.name);
    expect(new Set(names).size).toBe(names.length);
    for (const exchange of fixture.exchanges) {
      expect(Boolean(exchange.steps) !== Boolean(exchange.request), exchange.name).toBe(true);
    }
  });

  it('covers every v1 route and method, HEAD, OPTIONS and the override', () => {
    const requests = fixture.exchanges.flatMap((exchange) => (exchange.steps ?? [exchange as FixtureStep]).map((step) => step.request));
    const seen = new Set(requests.map((request) => `${effectiveMethod(request.method, request.headers)} ${request.path.split('?')[0]!.replace(/\/(\d+|\$\{\w+\})(?=\/|$)/g, '/{id}')}`));
    for (const operation of [
      'GET /products', 'POST /products', 'HEAD /products', 'OPTIONS /products',
      'GET /products/{id}', 'PUT /products/{id}', 'PATCH /products/{id}', 'DELETE /products/{id}', 'HEAD /products/{id}', 'OPTIONS /products/{id}',
      'GET /products/{id}/reviews', 'POST /products/{id}/reviews', 'GET /reviews/{id}', 'GET /vendors', 'GET /vendors/{id}', 'OPTIONS /vendors',
    ]) {
      expect(seen, operation).toContain(operation);
    }
    expect(requests.some((request) => request.headers?.['X-HTTP-Method-Override'])).toBe(true);
    expect(requests.some((request) => request.rawBody !== undefined)).toBe(true);
  });

  it.each(fixture.exchanges.map((exchange) => [exchange.name, exchange] as const))('%s', async (_name, exchange) => {
    const captured: Record<string, string> = {};
    for (const [index, step] of (exchange.steps ?? [exchange as FixtureStep]).entries()) {
      const request = substitute(step.request, captured);
      const options: RequestOptions = { headers: request.headers, body: request.body, rawBody: request.rawBody };
      const reply = await send('v1', request.method, request.path, options);
      const label = `step ${index + 1}: ${request.method} ${request.path}`;
      expect(reply.status, `${label}: ${reply.text}`).toBe(step.expect.status);
      const expected = substitute(step.expect, captured);
      const headerProblems = Object.entries(expected.headers ?? {}).flatMap(([name, value]) => mismatches(value, reply.headers.get(name) ?? undefined, `headers.${name}`));
      const bodyProblems = 'body' in expected ? mismatches(expected.body, reply.body, 'body') : [];
      expect([...headerProblems, ...bodyProblems], label).toEqual([]);
      expectConforms('v1', request.method, request.path, options, reply);
      for (const [name, path] of Object.entries(step.capture ?? {})) captured[name] = capturedValue(path, reply);
    }
  });
});

describe('the OpenAPI documents', () => {
  it.each(['v1', 'v2'] as const)('%s: every operation has a unique operationId and a description', (api) => {
    const operations = Object.values(contracts[api].document.paths).flatMap((pathItem) =>
      Object.entries(pathItem)
        .filter(([key]) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))
        .map(([, operation]) => operation as { operationId?: string; description?: string }),
    );
    expect(operations.length).toBeGreaterThan(8);
    for (const operation of operations) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.description).toBeTruthy();
    }
    const operationIds = operations.map((operation) => operation.operationId);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it.each(['v1', 'v2'] as const)('%s: rejects products that drift from the documented shape', (api) => {
    const contract = contracts[api];
    const timestamps = { created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
    const product =
      api === 'v1'
        ? { id: 1, name: 'n', description: '', price: 1.5, currency: 'EUR', vendor_id: 1, tags: [], in_stock: true, ...timestamps }
        : { id: '1', name: 'n', description: null, price: { amount: 150, currency: 'EUR' }, vendor_id: '1', tags: [], availability: 'in_stock', ...timestamps };
    expect(contract.checkComponent('Product', product)).toEqual([]);
    expect(contract.checkComponent('Product', { ...product, extra: 1 })).not.toEqual([]);
    expect(contract.checkComponent('Product', { ...product, id: api === 'v1' ? '1' : 1 })).not.toEqual([]);
    expect(contract.checkComponent('Product', { ...product, price: api === 'v1' ? { amount: 150, currency: 'EUR' } : 1.5 })).not.toEqual([]);
    expect(contract.checkComponent('Product', { ...product, created_at: 'yesterday' })).not.toEqual([]);
  });

  // Runs last: by now every test above has sent its exchanges through the contract checker.
  it.each(['v1', 'v2'] as const)('%s: every documented response was produced by the tests above', (api) => {
    expect(contracts[api].unexercisedResponses()).toEqual([]);
  });
});

function seedIds(): number[] {
  return CATALOG_SEED.products.map((product) => product.id);
}
