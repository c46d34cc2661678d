import { fileURLToPath } from 'node:url';
import { request as httpRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogServices, type CatalogServices } from '../examples/catalog/start.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { catalogExchanges, stepsOf, type FixtureExchange, type FixtureRequest } from './support/catalog-exchanges.js';

/*
 * The catalog migration end to end: every recorded v1 client exchange of
 * test/fixtures/catalog-v1-exchanges.yaml is sent to the real v1 service and, from the same
 * seeded state, through the gateway (mappings/catalog.yaml) to the real v2 service, over loopback.
 * A v1 client must see the same status, the same headers it reads, and the same body bytes.
 * Values that differ by nature are named here, and only those are normalised: the origin in
 * Link URLs (two servers, two ports), and the timestamps of records created during the exchange.
 */

const exchanges = catalogExchanges();
const MAPPING = fileURLToPath(new URL('../mappings/catalog.yaml', import.meta.url));

/** The headers a v1 client of this API reads. */
const CLIENT_HEADERS = ['content-type', 'x-total-count', 'link', 'location', 'etag', 'allow', 'vary', 'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];

interface Seen {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

let services: CatalogServices;
let gateway: RunningGateway;

beforeAll(async () => {
  services = await startCatalogServices({ v1Port: 0, v2Port: 0 });
  const mapping = await loadMappingFile(MAPPING, { env: { V2_URL: services.v2.url, V1_URL: '' } });
  gateway = await startGateway({ table: mapping.table, port: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await services?.close();
});

async function send(base: string, step: FixtureRequest, captured: Record<string, string>): Promise<Seen> {
  const fill = (text: string) => text.replace(/\$\{(\w+)\}/g, (_, name: string) => captured[name] ?? '');
  const headers: Record<string, string> = Object.fromEntries(Object.entries(step.headers ?? {}).map(([name, value]) => [name.toLowerCase(), fill(value)]));
  let body: string | undefined = step.rawBody;
  if (step.body !== undefined) {
    body = fill(JSON.stringify(step.body));
    headers['content-type'] ??= 'application/json';
  }
  const answer = await httpRequest(base + fill(step.path), { method: step.method as 'GET', headers, body });
  const text = await answer.body.text();
  const seen: Seen = { status: answer.statusCode, headers: {}, body: text };
  for (const name of CLIENT_HEADERS) {
    const value = answer.headers[name];
    seen.headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return seen;
}

/** Values that differ by nature: the server origin in links, and timestamps of records made during the exchange. */
function normalise(seen: Seen, origin: string): Seen {
  const headers = { ...seen.headers };
  if (headers.link) headers.link = headers.link.split(origin).join('<origin>');
  const createdNow = (text: string) => text.replace(/"(created_at|updated_at)":"(2026-1[12]|202[7-9])[^"]*"/g, '"$1":"<now>"');
  const body = createdNow(seen.body);
  // An entity tag is a digest of the bytes: it differs exactly when a timestamp of now does.
  if (body !== seen.body && headers.etag) headers.etag = '<etag of a body written now>';
  return { status: seen.status, headers, body };
}

async function replay(base: string, exchange: FixtureExchange): Promise<Seen[]> {
  if (base === services.v1.url) await httpRequest(`${base}/__reset`, { method: "POST" }).then((r) => r.body.dump());
  const steps = stepsOf(exchange);
  const captured: Record<string, string> = {};
  const seen: Seen[] = [];
  for (const step of steps) {
    const answer = await send(base, step.request, captured);
    seen.push(answer);
    for (const [name, from] of Object.entries(step.capture ?? {})) {
      const value = from.startsWith('headers.') ? answer.headers[from.slice('headers.'.length)] : (JSON.parse(answer.body) as Record<string, unknown>)[from.slice('body.'.length)];
      captured[name] = String(value);
    }
  }
  return seen;
}

describe(`the catalog migration: ${exchanges.length} recorded v1 exchanges through the gateway`, () => {
  it.each(exchanges.map((exchange) => [exchange.name, exchange] as const))('%s', async (_name, exchange) => {
    await httpRequest(`${services.v2.url}/__reset`, { method: 'POST' }).then((r) => r.body.dump());
    const v1 = (await replay(services.v1.url, exchange)).map((seen) => normalise(seen, services.v1.url));
    const viaGateway = (await replay(gateway.url, { ...exchange })).map((seen) => normalise(seen, gateway.url));
    expect(viaGateway).toEqual(v1);
  });
});
