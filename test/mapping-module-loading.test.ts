import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { SourceLoadError } from '../src/io/yaml-source.js';
import { createApp } from '../src/server/create-app.js';
import { UpstreamClient } from '../src/upstream/upstream-client.js';
import { runCli } from './support/cli-harness.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * A mapping mounted from a Kubernetes ConfigMap sits in a bare folder: no package.json beside it
 * or above it, so Node alone would load a `.ts` module as CommonJS and lose its named exports.
 * These tests write the mapping and its modules into such a folder and run them for real.
 */
let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'api-compat-mount-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

async function write(name: string, text: string): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, text);
  return file;
}

/** Every folder from `dir` up to the temporary directory itself. */
function foldersUpToTmp(dir: string): string[] {
  const folders = [dir];
  while (folders.at(-1) !== tmpdir() && dirname(folders.at(-1)!) !== folders.at(-1)) folders.push(dirname(folders.at(-1)!));
  return folders;
}

const exists = (file: string) => access(file).then(() => true, () => false);

/** TypeScript with type-only syntax and no import of api-compat: what a ConfigMap would hold. */
const TS_MODULE = `
interface Message { headers: Record<string, string | string[]>; body: unknown }
type Review = { id: number };

/** v1 listed the number of reviews; v2 leaves counting to the client. */
export function addReviewCount(message: Message): void {
  const body = message.body as { reviews?: Review[]; review_count?: number };
  body.review_count = (body.reviews ?? []).length;
}

export const notAFunction: number = 42;
`;

const JS_MODULE = `
/** v1 clients look for this header to tell the gateway from the old service. */
export function markLegacy(message) {
  message.headers['x-served-by'] = 'compat';
}

export async function createOrder(v2Request, context) {
  const response = await context.send(v2Request);
  response.headers['x-order-handler'] = context.endpoint;
  return response;
}
`;

function mapping(upstream: string, steps: { product?: string[]; handler?: string } = {}): string {
  const product = steps.product ?? ['./steps.ts#addReviewCount', './legacy.js#markLegacy'];
  return [
    'name: mounted mapping',
    `upstream: ${upstream}`,
    'resources:',
    '  Ids:',
    '    - coerce: { field: id, v1: integer, v2: string, onMismatch: keep }',
    'endpoints:',
    '  - id: product',
    '    v1: GET /v1/products/{id}',
    '    v2: GET /v2/products/{id}',
    '    response:',
    '      - resource: { at: body, is: Ids, deep: true }',
    ...product.map((reference) => `      - fn: ${reference}`),
    '  - id: create-order',
    '    v1: POST /v1/orders',
    '    v2: POST /v2/orders',
    `    handler: ${steps.handler ?? './legacy.js#createOrder'}`,
    '',
  ].join('\n');
}

describe('fn and handler modules in a folder without a package.json', () => {
  it('load from TypeScript and JavaScript and run against a real upstream', async () => {
    for (const dir of foldersUpToTmp(folder)) expect(await exists(join(dir, 'package.json')), `${dir} has no package.json`).toBe(false);
    await write('steps.ts', TS_MODULE);
    await write('legacy.js', JS_MODULE);
    const upstream = await startRecordingUpstream((request) =>
      request.method === 'POST'
        ? json({ id: '31' }, 201)
        : json({ id: '7', vendor: { id: '9' }, reviews: [{ id: '1', product_id: '7' }, { id: 'legacy-2' }] }),
    );
    const client = new UpstreamClient(upstream.url);
    try {
      const { table } = await loadMappingFile(await write('mapping.yaml', mapping(upstream.url)));
      const app = createApp({ table, upstream: client });
      const product = await app.request('/v1/products/7');
      expect(product.status).toBe(200);
      expect(product.headers.get('x-served-by')).toBe('compat');
      // Deep ids at every level; "legacy-2" is no integer and passes unchanged (onMismatch: keep).
      expect(await product.json()).toEqual({ id: 7, vendor: { id: 9 }, reviews: [{ id: 1, product_id: '7' }, { id: 'legacy-2' }], review_count: 2 });
      const order = await app.request('/v1/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sku":"a"}' });
      expect(order.status).toBe(201);
      expect(order.headers.get('x-order-handler')).toBe('create-order');
      expect(upstream.received.map((request) => `${request.method} ${request.rawTarget}`)).toEqual(['GET /v2/products/7', 'POST /v2/orders']);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  it.each([
    ['TypeScript', './steps.ts#nope', 'steps.ts', /\.\/steps\.ts has no exported function "nope"; exports: addReviewCount, notAFunction$/],
    ['JavaScript', './legacy.js#nope', 'legacy.js', /\.\/legacy\.js has no exported function "nope"; exports: createOrder, markLegacy$/],
  ])('name the real exports of a %s module when the one asked for is missing', async (_language, reference, _module, message) => {
    await write('steps.ts', TS_MODULE);
    await write('legacy.js', JS_MODULE);
    const file = await write('mapping.yaml', mapping('http://127.0.0.1:9', { product: [reference] }));
    const error = await loadMappingFile(file).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SourceLoadError);
    expect((error as SourceLoadError).diagnostics).toHaveLength(1);
    expect((error as SourceLoadError).diagnostics[0]).toMatchObject({ line: 12, pointer: '/endpoints/0/response/1/fn' });
    expect((error as SourceLoadError).diagnostics[0]!.message).toMatch(message);
  });

  it.each([
    ['TypeScript', 'steps.ts', 'export function addReviewCount(message: {) {}\n', /cannot import \.\/steps\.ts: Unexpected "\)" at steps\.ts:1:42$/m],
    ['JavaScript', 'legacy.js', 'export function markLegacy(message {\n}\n', /cannot import \.\/legacy\.js: Expected "\)" but found "\{" at legacy\.js:1:36$/m],
  ])('fail lint with exit 2 and one located diagnostic for a %s syntax error', async (_language, module, text, message) => {
    await write('steps.ts', TS_MODULE);
    await write('legacy.js', JS_MODULE);
    await write(module, text);
    // The broken module is referenced twice; it is reported once, where it is first named.
    const file = await write('mapping.yaml', mapping('http://127.0.0.1:9', { product: [`./${module}#a`, `./${module}#b`], handler: `./${module}#c` }));
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.match(/cannot import/g)).toHaveLength(1);
    expect(run.stderr).toContain(`${file}:12:`);
  });
});
