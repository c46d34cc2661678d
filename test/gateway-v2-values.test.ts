import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * Values v2 answers with can build later v2 paths: a composed call's `params` and the paths a
 * handler sends. Over the catalog mapping, a v2 id such as ".." must not make the gateway call
 * another v2 route than the one the mapping names (found by the fuzz in gateway-fuzz.test.ts).
 */

const CATALOG = fileURLToPath(new URL('../mappings/catalog.yaml', import.meta.url));

let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;
let gateway: RunningGateway;
/** The id v2 gives the product a review belongs to, and the vendor of a product. */
let v2Id = '3';

beforeAll(async () => {
  upstream = await startRecordingUpstream((request) => {
    const review = { id: '1', product_id: v2Id, reviewer: { display_name: 'r' }, text: 't', rating: 4, created_at: '2026-01-01T00:00:00Z' };
    const product = { id: '1', vendor_id: v2Id, name: 'n', description: null, price: { amount: 100, currency: 'EUR' }, tags: [], availability: 'in_stock', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
    const vendor = { id: v2Id, name: 'v', country_code: 'DE', support_email: 'v@example.com', created_at: '2026-01-01T00:00:00Z' };
    if (request.rawTarget.startsWith('/v2/reviews/')) return json({ data: review });
    if (request.rawTarget.startsWith('/v2/vendors/')) return json({ data: vendor });
    return json({ data: product });
  });
  const { table } = await loadMappingFile(CATALOG, { env: { V2_URL: upstream.url, V1_URL: '' } });
  gateway = await startGateway({ table });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function ask(path: string, id: string) {
  v2Id = id;
  const before = upstream.received.length;
  const response = await fetch(`${gateway.url}${path}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as unknown, sent: upstream.received.slice(before).map((request) => request.rawTarget) };
}

describe('ids from v2 cannot steer the gateway to another v2 route', () => {
  it('a handler (GET /reviews/{id}) follows an ordinary id from v2', async () => {
    const answer = await ask('/reviews/1', '3');
    expect(answer.status).toBe(200);
    expect(answer.sent).toEqual(['/v2/reviews/1', '/v2/products/3']);
  });

  it.each(['..', '.', 'a/b', 'a\\b'])('a handler whose path would hold the id %j from v2 fails with 502, sending nothing there', async (id) => {
    // The handler encodes the id as one segment: "." and ".." pass encodeURIComponent unchanged,
    // and a server decoding "a%2Fb" sees two segments.
    const answer = await ask('/reviews/1', id);
    expect(answer.status).toBe(502);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ error: expect.stringContaining('would leave its place'), status: 502 });
    expect(answer.sent).toEqual(['/v2/reviews/1']);
  });

  it.each(['..', 'a/b'])('a composed call (GET /products/{id}?expand=vendor) does not call v2 with the vendor id %j, and blames v2 (502)', async (id) => {
    const answer = await ask('/products/1?expand=vendor', id);
    expect(answer.status).toBe(502);
    expect(answer.sent).toEqual(['/v2/products/1']);
  });
});
