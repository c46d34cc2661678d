import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { CompiledTable } from '../src/core/mapping/compiled.js';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument } from '../src/core/model/mapping.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { listen } from '../src/server/listen.js';
import { createApp } from '../src/server/create-app.js';
import { UpstreamClient } from '../src/upstream/upstream-client.js';
import { compatError, fakeV2, run } from './core/exchange-harness.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * Every ```yaml block of the README's "## The mapping file" section (from that heading to the
 * next level-2 heading) must load as a user's mapping would: schema, ${ENV} defaults, fn/handler
 * modules, compilation, with no diagnostic at all. The README's ```ts blocks of that section are
 * the modules: each is written beside the mappings under the file name its first line names
 * (`// mappings/cascade.ts — …` is cascade.ts).
 *
 * Wrapping rule for fragments (the README says it in one sentence): a block that is a YAML list
 * is the `endpoints` list; a block that is a mapping gets `name` and `upstream` when it has none.
 *
 * The recipes then run against a fake v2 and must answer what the README says they answer.
 */

const EXPECTED_YAML_BLOCKS = 25;

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

interface CodeBlock {
  lang: string;
  text: string;
  /** The nearest ###/#### heading above the block. */
  heading: string;
  /** 1-based README line of the opening fence. */
  line: number;
}

function sectionLines(markdown: string, heading: string): { lines: string[]; firstLine: number } {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}" heading`);
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return { lines: lines.slice(start, end < 0 ? undefined : end), firstLine: start + 1 };
}

function codeBlocks(markdown: string, heading: string): CodeBlock[] {
  const { lines, firstLine } = sectionLines(markdown, heading);
  const blocks: CodeBlock[] = [];
  let current = heading;
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    if (open) {
      if (/^```\s*$/.test(line)) {
        blocks.push({ lang: open.lang, text: open.body.join('\n'), heading: current, line: open.line });
        open = undefined;
      } else open.body.push(line);
      return;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) open = { lang: fence[1]!, line: firstLine + i, body: [] };
    else if (/^#{3,4} /.test(line)) current = line.replace(/^#+ /, '');
  });
  if (open) throw new Error(`README line ${open.line}: a code block is never closed`);
  return blocks;
}

/** The prose and blocks under one recipe heading, for checking that the test asserts what it says. */
function recipeText(title: string): string {
  const lines = sectionLines(readme, '## The mapping file').lines;
  const start = lines.indexOf(`#### ${title}`);
  if (start < 0) throw new Error(`README has no recipe "${title}"`);
  const end = lines.findIndex((line, i) => i > start && /^#{2,4} /.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

function asMapping(fragment: unknown): MappingDocument {
  const document = (Array.isArray(fragment) ? { endpoints: fragment } : fragment) as Record<string, unknown>;
  return { name: 'README example', upstream: 'http://127.0.0.1:4002', ...document } as unknown as MappingDocument;
}

const blocks = codeBlocks(readme, '## The mapping file');
const yamlBlocks = blocks.filter((block) => block.lang === 'yaml');
const moduleBlocks = blocks.filter((block) => block.lang === 'ts');

let folder: string;
const tables = new Map<CodeBlock, CompiledTable>();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'readme-mappings-'));
  for (const block of moduleBlocks) {
    const named = /^\/\/ (\S+\.ts)\b/.exec(block.text);
    if (!named) throw new Error(`README line ${block.line}: a module block starts with "// mappings/<file>.ts"`);
    await writeFile(join(folder, basename(named[1]!)), block.text);
  }
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function load(block: CodeBlock): Promise<CompiledTable> {
  const known = tables.get(block);
  if (known) return known;
  const file = join(folder, `line-${block.line}.yaml`);
  await writeFile(file, stringify(asMapping(parse(block.text))));
  const loaded = await loadMappingFile(file, { env: {} });
  expect(loaded.diagnostics).toEqual([]);
  tables.set(block, loaded.table);
  return loaded.table;
}

function recipe(title: string): Promise<CompiledTable> {
  const block = yamlBlocks.find((candidate) => candidate.heading === title);
  if (!block) throw new Error(`README recipe "${title}" has no yaml block`);
  return load(block);
}

describe(`README "The mapping file": all ${EXPECTED_YAML_BLOCKS} yaml blocks`, () => {
  it(`finds ${EXPECTED_YAML_BLOCKS} yaml blocks and the modules they name`, () => {
    expect(yamlBlocks.length).toBe(EXPECTED_YAML_BLOCKS);
    expect(moduleBlocks.map((block) => /^\/\/ (\S+)/.exec(block.text)?.[1])).toEqual(['mappings/transforms.ts', 'mappings/cascade.ts']);
  });

  it.each(yamlBlocks.map((block) => [`line ${block.line} (${block.heading})`, block] as const))('%s loads and compiles with no diagnostic', async (_name, block) => {
    const table = await load(block);
    expect(table.endpoints.length).toBeGreaterThan(0);
    // The same document straight through the compiler, as `api-compat lint` sees it.
    const { diagnostics } = compileMapping(asMapping(parse(block.text)), { resolveFunction: () => () => undefined });
    expect(diagnostics).toEqual([]);
  });
});

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function gateway(table: CompiledTable, upstreamUrl: string) {
  const upstream = new UpstreamClient(upstreamUrl);
  cleanups.push(() => upstream.close());
  return createApp({ table, upstream });
}

async function v2Server(answer: Parameters<typeof startRecordingUpstream>[0]) {
  const server = await startRecordingUpstream(answer);
  cleanups.push(() => server.close());
  return server;
}

const query = (rawTarget: string) => Object.fromEntries(new URL(rawTarget, 'http://v2.test').searchParams);

describe('README construct examples behave as their prose says', () => {
  it('references: request.url from publicUrl, and filters on the v1 request', async () => {
    const table = await recipe('What templates and conditions read');
    const v2 = await v2Server(() => json({ items: [] }));
    const app = await gateway(table, v2.url);
    const asked = await app.request('/items?limit=5', { headers: { host: 'internal:8080', 'x-client': 'shop' } });
    expect(await asked.json()).toEqual({ items: [], self: 'https://api.example.com/items?limit=5' });
    expect(asked.headers.get('x-requested-by')).toBe('shop');
    const plain = await app.request('/items');
    expect(plain.headers.get('x-requested-by')).toBe('anonymous');
    expect(v2.received.map((request) => query(request.rawTarget))).toEqual([{ limit: '5' }, { limit: '20' }]);
  });

  it('upstreamHeaders: credentials only where the mapping says so, deny inherited, steps writing headers', async () => {
    const table = await recipe('Headers sent to v2 (`upstreamHeaders:`)');
    const v2 = await v2Server(() => json({ id: 1 }));
    const app = await gateway(table, v2.url);
    const client = { authorization: 'Bearer client-token', cookie: 'session=abc', accept: 'application/json', 'user-agent': 'shop/1.0', 'x-tenant-id': 't-7', 'x-debug-trace': 'on', 'x-internal-token': 'i' };
    expect((await app.request('/orders', { headers: client })).status).toBe(200);
    const listed = v2.received.at(-1)!.headers;
    expect(listed).toMatchObject({ authorization: 'Bearer client-token', accept: 'application/json', 'x-tenant-id': 't-7' });
    for (const name of ['cookie', 'user-agent', 'x-debug-trace', 'x-internal-token']) expect(listed).not.toHaveProperty(name);

    expect((await app.request('/orders/1', { headers: { ...client, 'x-api-key': 'k-123' } })).status).toBe(200);
    const keyed = v2.received.at(-1)!.headers;
    expect(keyed.authorization).toBe('Bearer k-123');
    expect(keyed['user-agent']).toBe('shop/1.0');
    for (const name of ['x-api-key', 'cookie', 'x-debug-trace', 'x-internal-token']) expect(keyed).not.toHaveProperty(name);
    // Without an API key the step does not run, and the client's own token stays with the client.
    expect((await app.request('/orders/1', { headers: client })).status).toBe(200);
    expect(v2.received.at(-1)!.headers).not.toHaveProperty('authorization');
  });

  it('composed calls: waves, an optional call that failed, and a call skipped by its condition', async () => {
    const table = await recipe('Composed calls');
    const replies = (customer: Record<string, unknown>) => ({
      'GET /v2/orders/5': { body: { id: 5, customer_id: 'c1' } },
      'GET /v2/customers/c1': { body: customer },
      'GET /v2/invoices': { status: 500, body: { detail: 'down' } },
      'GET /v2/loyalty/L7': { body: { points: 120 } },
    });
    const v2 = fakeV2(replies({ id: 'c1', name: 'Ada', loyalty_account: 'L7' }));
    const { response } = await run(table, 'GET /orders/5', v2.send);
    // The invoice call needs nothing and goes out with the main call; loyalty waits for customer.
    expect(v2.sent.map((s) => [s.call, s.request.path, s.request.query])).toEqual([
      ['main', '/v2/orders/5', {}],
      ['invoice', '/v2/invoices', { order: '5' }],
      ['customer', '/v2/customers/c1', {}],
      ['loyalty', '/v2/loyalty/L7', {}],
    ]);
    expect([response.status, response.body]).toEqual([200, { id: 5, customer_id: 'c1', customer: { id: 'c1', name: 'Ada', loyalty_account: 'L7', points: 120 } }]);

    const noAccount = fakeV2(replies({ id: 'c1', name: 'Ada' }));
    expect((await run(table, 'GET /orders/5', noAccount.send)).response.body).toEqual({ id: 5, customer_id: 'c1', customer: { id: 'c1', name: 'Ada' } });
    expect(noAccount.sent.map((s) => s.call)).toEqual(['main', 'invoice', 'customer']);
  });
});

describe('README recipes answer what the README says', () => {
  it('offset and limit become page[number] and page[size], with Link and X-Total-Count', async () => {
    const title = 'Offset and limit become `page[number]` and `page[size]`';
    const text = recipeText(title);
    const table = await recipe(title);
    const all = Array.from({ length: 45 }, (_, i) => ({ id: i + 1 }));
    const v2 = await v2Server((request) => {
      const asked = query(request.rawTarget);
      const size = Number(asked['page[size]']);
      const page = Number(asked['page[number]']);
      return json({ data: all.slice((page - 1) * size, page * size), meta: { total: all.length } });
    });
    const app = await gateway(table, v2.url);

    const response = await app.request('/products?offset=20&limit=20');
    expect(response.status).toBe(200);
    expect(query(v2.received[0]!.rawTarget)).toEqual({ 'page[number]': '2', 'page[size]': '20' });
    expect(((await response.json()) as Array<{ id: number }>).map((p) => p.id)).toEqual(all.slice(20, 40).map((p) => p.id));
    expect(response.headers.get('x-total-count')).toBe('45');
    expect(text).toContain('`X-Total-Count: 45`');
    const link = response.headers.get('link')!;
    expect(text).toContain(`Link: ${link}\n`);
    expect(link).toContain('<https://api.example.com/products?offset=40&limit=20>; rel="next"');
    expect(link.endsWith('<https://example.com/migrate>; rel="deprecation"; type="text/html"')).toBe(true);

    const straddling = await app.request('/products?offset=10&limit=20');
    expect(query(v2.received[1]!.rawTarget)).toEqual({ 'page[number]': '1', 'page[size]': '30' });
    expect(((await straddling.json()) as Array<{ id: number }>).map((p) => p.id)).toEqual(all.slice(10, 30).map((p) => p.id));
    expect(text).toContain('`page[number]=1&page[size]=30`');

    const bad = await app.request('/products?limit=abc');
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'invalid-query-value']);
    const unknown = await app.request('/products?sort=name');
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([400, 'unknown-query-parameter']);
    expect(v2.received).toHaveLength(2);
  });

  it('a filter, a sort and a search v2 lost, over one fetched page, paged in v1 terms', async () => {
    const table = await recipe('A filter, a sort and a search v2 lost');
    const products = [
      { id: 1, name: 'apple', price: 5, category: 'fruit' },
      { id: 2, name: 'banana', price: 3, category: 'fruit' },
      { id: 3, name: 'carrot', price: 2, category: 'vegetable' },
      { id: 4, name: 'date', price: 8, category: 'fruit' },
    ];
    const v2 = fakeV2({ 'GET /v2/products': { body: { data: products, meta: { total: products.length } } } });
    const names = (body: unknown) => (body as Array<{ name: string }>).map((p) => p.name);

    const fruit = await run(table, 'GET /products?category=fruit&sort=-price&per_page=2', v2.send);
    expect(v2.sent[0]!.request.query).toEqual({ 'page[size]': '1000' });
    expect(names(fruit.response.body)).toEqual(['date', 'apple']);
    expect(fruit.response.headers['x-total-count']).toBe('3');
    expect(names((await run(table, 'GET /products?q=AN', v2.send)).response.body)).toEqual(['banana']);
    expect(names((await run(table, 'GET /products?price_gte=3&price_lte=5', v2.send)).response.body)).toEqual(['apple', 'banana']);
    const badSort = await compatError(run(table, 'GET /products?sort=colour', v2.send));
    expect([badSort.status, badSort.code]).toEqual([400, 'invalid-query-value']);
    expect(recipeText('A filter, a sort and a search v2 lost')).toContain('answers date and apple with\n`X-Total-Count: 3`');
  });

  const products = [
    { id: 1, name: 'apple', vendor_id: 10 },
    { id: 2, name: 'banana', vendor_id: 11 },
  ];

  it('embed=reviews: one batched call, joined by key', async () => {
    const title = 'Embedding (`embed=reviews`) with one batched call and `join`';
    const table = await recipe(title);
    const reviews = [
      { id: 'r1', product_id: 1, stars: 5 },
      { id: 'r9', product_id: 9, stars: 1 },
    ];
    const v2 = fakeV2({
      'GET /v2/products': { body: { data: products.map(({ id, name }) => ({ id, name })) } },
      'GET /v2/reviews': (request) => ({ body: { data: reviews.filter((r) => String(request.query['filter[product_id][in]']).split(',').includes(String(r.product_id))) } }),
    });
    const embedded = await run(table, 'GET /products?embed=reviews', v2.send);
    expect(v2.sent.map((s) => [s.call, s.request.path, s.request.query])).toEqual([
      ['main', '/v2/products', {}],
      ['reviews', '/v2/reviews', { 'filter[product_id][in]': '1,2', 'page[size]': '1000' }],
    ]);
    expect(recipeText(title)).toContain(`\`${JSON.stringify(embedded.response.body)}\``);
    const calls = v2.sent.length;
    await run(table, 'GET /products', v2.send);
    expect(v2.sent.slice(calls).map((s) => s.call)).toEqual(['main']);
    expect(recipeText(title)).toContain('`GET /products` makes one');
    // An empty page makes no batched call, which would otherwise ask v2 for every review.
    const plain = fakeV2({ 'GET /v2/products': { body: { data: [] } } });
    await run(table, 'GET /products?embed=reviews', plain.send);
    expect(plain.sent.map((s) => s.call)).toEqual(['main']);
  });

  it('expand=vendor: one call per item, merged into it, bounded by max', async () => {
    const title = 'Embedding (`expand=vendor`) with one call per item';
    const table = await recipe(title);
    const vendors = { 'GET /v2/vendors/10': { body: { id: 10, name: 'Orchard' } }, 'GET /v2/vendors/11': { body: { id: 11, name: 'Grove' } } };
    const v2 = fakeV2({ 'GET /v2/products': { body: { data: products.map((p) => ({ ...p })) } }, ...vendors });
    const expanded = await run(table, 'GET /products?expand=vendor', v2.send);
    expect(v2.sent.map((s) => s.request.path)).toEqual(['/v2/products', '/v2/vendors/10', '/v2/vendors/11']);
    expect(expanded.response.body).toEqual([
      { id: 1, name: 'apple', vendor: { id: 10, name: 'Orchard' } },
      { id: 2, name: 'banana', vendor: { id: 11, name: 'Grove' } },
    ]);
    expect(recipeText(title)).toContain(`\`${JSON.stringify(expanded.response.body).replace(/,\{"id":2.*\]$/, ', …]')}\``);

    const many = fakeV2({ 'GET /v2/products': { body: { data: Array.from({ length: 51 }, (_, i) => ({ id: i, vendor_id: 10 })) } }, ...vendors });
    const error = await compatError(run(table, 'GET /products?expand=vendor', many.send));
    expect([error.status, error.code]).toEqual([502, 'too-many-calls']);
    expect(many.sent.map((s) => s.call)).toEqual(['main']);
  });

  it('renamed filter syntax: v1 parameters moved to v2 names', async () => {
    const table = await recipe('Renamed filter syntax');
    const v2 = fakeV2({ 'GET /v2/products': { body: [] } });
    await run(table, 'GET /products?price_gte=5&category=fruit', v2.send);
    expect(v2.sent[0]!.request.query).toEqual({ 'filter[price][gte]': '5', 'filter[category][eq]': 'fruit' });
    expect(recipeText('Renamed filter syntax')).toContain('`/v2/products?filter[price][gte]=5&filter[category][eq]=fruit`');
  });

  it("error shapes: v2's errors and the gateway's own in v1's shape", async () => {
    const title = "Error shapes, the gateway's own included";
    const text = recipeText(title);
    const table = await recipe(title);
    const v2 = await v2Server(() => json({ type: 'https://v2.test/problems/not-found', title: 'Not Found', status: 404, detail: 'no product 9' }, 404, 'application/problem+json'));
    const app = await gateway(table, v2.url);

    const missing = await app.request('/products/9');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(text).toContain(`\`404 ${await missing.text()}\``);

    const unknown = await app.request('/products/1?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(text).toContain(`\`400 ${await unknown.text()}\``);

    const closed = await listen({ fetch: () => new Response(null) });
    const closedUrl = closed.url;
    await closed.close();
    const unreachable = await (await gateway(table, closedUrl)).request('/products/1');
    expect(unreachable.status).toBe(503);
    expect(unreachable.headers.get('content-type')).toBe('application/json');
    expect(text).toContain(`\`503 ${await unreachable.text()}\``);
  });

  it('conditional GET: a strong ETag over the exact bytes, and 304', async () => {
    const title = 'Conditional GET';
    const table = await recipe(title);
    const v2 = await v2Server(() => json({ id: 1, name: 'apple' }, 200, 'application/json'));
    const app = await gateway(table, v2.url);
    const first = await app.request('/products/1');
    const bytes = await first.text();
    expect(bytes).toBe('{"id":1,"name":"apple"}');
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const tag = first.headers.get('etag');
    expect(tag).toBe(`"${createHash('sha256').update(bytes).digest('base64url')}"`);
    const again = await app.request('/products/1', { headers: { 'if-none-match': tag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(tag);
    expect(await again.text()).toBe('');
    expect(recipeText(title)).toContain('`Content-Type: application/json; charset=utf-8`');
  });

  it("CORS: v1's policy on answers and preflights, whatever v2 says", async () => {
    const text = recipeText('CORS');
    const table = await recipe('CORS');
    const v2 = await v2Server(() => new Response('[]', { headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' } }));
    const app = await gateway(table, v2.url);
    const allowed = await app.request('/products', { headers: { origin: 'https://shop.example.com' } });
    const granted = {
      'access-control-allow-origin': 'https://shop.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total-Count, Link',
      vary: 'Origin',
    };
    for (const [name, value] of Object.entries(granted)) {
      expect(allowed.headers.get(name)).toBe(value);
      expect(text.toLowerCase()).toContain(`\`${name}: ${value}\``.toLowerCase());
    }
    const other = await app.request('/products', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');

    const preflight = await app.request('/products', { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    const answered = {
      allow: 'GET, HEAD, POST, OPTIONS',
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'Content-Type, Authorization',
      'access-control-max-age': '600',
    };
    for (const [name, value] of Object.entries(answered)) {
      expect(preflight.headers.get(name)).toBe(value);
      expect(text.toLowerCase()).toContain(`\`${name}: ${value}\``.toLowerCase());
    }
    expect(v2.received).toHaveLength(2);
  });

  it('method override: variants in table order, the fallback last', async () => {
    const table = await recipe('Method override');
    const v2 = fakeV2({ 'DELETE /v2/items/7': { status: 204 }, 'PATCH /v2/items/7': { body: {} }, 'POST /v2/items/7/actions': { body: {} } });
    expect((await run(table, 'POST /items/7', v2.send, { headers: { 'x-http-method-override': 'delete' } })).endpointId).toBe('override-delete');
    expect((await run(table, 'POST /items/7', v2.send, { headers: { 'x-http-method-override': 'PATCH' } })).endpointId).toBe('override-patch');
    expect((await run(table, 'POST /items/7', v2.send)).endpointId).toBe('item-action');
    expect(v2.sent.map((s) => `${s.request.method} ${s.request.path}`)).toEqual(['DELETE /v2/items/7', 'PATCH /v2/items/7', 'POST /v2/items/7/actions']);

    const block = yamlBlocks.find((candidate) => candidate.heading === 'Method override')!;
    const document = asMapping(parse(block.text));
    const fallbackFirst = { ...document, endpoints: [document.endpoints[2]!, document.endpoints[0]!, document.endpoints[1]!] };
    expect(compileMapping(fallbackFirst).diagnostics.map((d) => d.message.split(':')[0])).toEqual([
      'variant "override-delete" can never be reached',
      'variant "override-patch" can never be reached',
    ]);
  });

  it('cascade delete: the README module deletes the tasks, then the project, within maxCalls', async () => {
    const title = 'Cascade delete with a handler';
    const table = await recipe(title);
    const tasks = (count: number) => ({ body: { data: Array.from({ length: count }, (_, i) => ({ id: `t${i + 1}` })) } });
    const deleted = { status: 204 };
    const v2 = fakeV2({ 'GET /v2/projects/3/tasks': tasks(2), 'DELETE /v2/tasks/t1': deleted, 'DELETE /v2/tasks/t2': deleted, 'DELETE /v2/projects/3': deleted });
    const { response } = await run(table, 'DELETE /projects/3', v2.send);
    expect(v2.sent.map((s) => `${s.request.method} ${s.request.path}`)).toEqual(['GET /v2/projects/3/tasks', 'DELETE /v2/tasks/t1', 'DELETE /v2/tasks/t2', 'DELETE /v2/projects/3']);
    expect([response.status, response.body]).toEqual([200, { deleted: true }]);
    expect(recipeText(title)).toContain('answers `200 {"deleted":true}`');

    const replies: Record<string, { status: number } | ReturnType<typeof tasks>> = { 'GET /v2/projects/4/tasks': tasks(49), 'DELETE /v2/projects/4': deleted };
    for (let i = 1; i <= 49; i++) replies[`DELETE /v2/tasks/t${i}`] = deleted;
    const big = fakeV2(replies);
    const error = await compatError(run(table, 'DELETE /projects/4', big.send));
    expect([error.status, error.code]).toEqual([502, 'too-many-calls']);
    expect(big.sent).toHaveLength(50);

    const fine = fakeV2({ ...replies, 'GET /v2/projects/4/tasks': tasks(48) });
    expect((await run(table, 'DELETE /projects/4', fine.send)).response.status).toBe(200);
    expect(fine.sent).toHaveLength(50);
  });
});
