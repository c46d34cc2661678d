import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli-harness.js';

/**
 * Every construct of the request-aware mapping language fails at load, in lint, with the file,
 * the line and column of the mistake and a sentence saying how to fix it: one mutation of the
 * catalog mapping per construct.
 */
const CATALOG = fileURLToPath(new URL('../mappings/catalog.yaml', import.meta.url));
const HOOKS = fileURLToPath(new URL('../mappings/catalog-hooks.ts', import.meta.url));

let workspace: Awaited<ReturnType<typeof tempDir>>;
let original: string;
beforeEach(async () => {
  workspace = await tempDir();
  original = await readFile(CATALOG, 'utf8');
  await workspace.write('catalog-hooks.ts', await readFile(HOOKS, 'utf8'));
});
afterEach(() => workspace.remove());

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`the mutated mapping does not contain ${needle}`);
  return text.slice(0, index).split('\n').length;
}

const mutations: Array<{ name: string; from: string; to: string; expect: RegExp; at: string }> = [
  {
    name: 'an unknown condition operator',
    from: 'when: { request.query.embed: reviews }',
    to: 'when: { request.query.embed: { equals: reviews } }',
    expect: /unknown operator "equals"; operators: exists, empty, eq/,
    at: 'when: { request.query.embed: { equals',
  },
  {
    name: 'a regular expression built from the request',
    from: 'when: { status: 404, body.detail: { matches: " does not exist$" } }',
    to: 'when: { status: 404, body.detail: { matches: "${request.query.q}" } }',
    expect: /"matches" takes a fixed regular expression/,
    at: 'matches: "${request.query.q}"',
  },
  {
    name: 'a route variant below its fallback',
    from: '  - id: override-other\n    v1: POST /products/{id}\n    when: { request.headers.x-http-method-override: { exists: true } }',
    to: '  - id: override-other\n    v1: POST /products/{id}\n    when: { request.headers.x-http-method-override: { eq: PUT, caseInsensitive: true } }',
    expect: /endpoint "override-other" can never be reached: variant "override-put" above it has the same route and the same condition/,
    at: 'when: { request.headers.x-http-method-override: { eq: PUT, caseInsensitive: true } }\n    v2: PATCH /v2/products/{id}\n    request:\n      - reject',
  },
  {
    name: 'a write to the v1 request',
    from: '      - set: { path: body.product_id, value: "${params.id}" }',
    to: '      - set: { path: request.body.product_id, value: "${params.id}" }',
    expect: /a message path starts with one of method, path, status, params, query, headers, body/,
    at: 'path: request.body.product_id',
  },
  {
    name: 'a call that waits for a call that does not exist',
    from: '        v2: GET /v2/vendors/{vendor}\n',
    to: '        v2: GET /v2/vendors/{vendor}\n        after: [review]\n',
    expect: /call "vendor" waits for "review", which is not a call of this endpoint; calls: main, reviews, vendor/,
    at: 'after: [review]',
  },
  {
    name: 'a join without its key fields',
    from: 'on: { parent: vendor_id, child: id }, as: vendor',
    to: 'on: { parent: vendor_id }, as: vendor',
    expect: /missing required property "child"/,
    at: 'on: { parent: vendor_id }',
  },
  {
    name: 'a paging block without v2 parameters',
    from: '      v2: { page: "page[number]", size: "page[size]", fetchAll: 100 }',
    to: '      v2: { fetchAll: 100 }',
    expect: /paging: v2 names v2's paging parameters/,
    at: '      v2: { fetchAll: 100 }',
  },
  {
    name: 'an unknown collation',
    from: "          keys: [id, rating, created_at]\n",
    to: "          keys: [id, rating, created_at]\n          collation: alphabetical\n",
    expect: /must be one of "code-point", "locale", "case-insensitive", "numeric"/,
    at: 'collation: alphabetical',
  },
  {
    name: 'credentials for any origin',
    from: '  origins: [https://shop.example.com, https://admin.example.com]',
    to: '  origins: ["*"]',
    expect: /credentials cannot be allowed for any origin/,
    at: '  credentials: true',
  },
  {
    name: 'a handler the module does not export',
    from: 'handler: ./catalog-hooks.ts#reviewOfExistingProduct',
    to: 'handler: ./catalog-hooks.ts#reviewOfLiveProduct',
    expect: /has no exported function "reviewOfLiveProduct"; exports: reviewOfExistingProduct/,
    at: 'handler: ./catalog-hooks.ts#reviewOfLiveProduct',
  },
];

describe.each(mutations)('a catalog mapping with $name', (mutation) => {
  it('fails lint with exit 2 at the line of the mistake, and nowhere else', async () => {
    expect(original).toContain(mutation.from);
    const text = original.replace(mutation.from, mutation.to);
    const file = await workspace.write('catalog.yaml', text);
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(mutation.expect);
    expect(run.stderr).toContain(`${file}:${lineOf(text, mutation.at)}:`);
    // One mistake is reported where it is, not again by every step that depends on it.
    expect(run.stderr).not.toContain('needs a "paging:" block');
  });
});

it('the catalog mapping itself lints clean', async () => {
  const run = await runCli(['lint', CATALOG]);
  expect([run.code, run.stderr]).toEqual([0, '']);
});
