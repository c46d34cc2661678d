import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../examples/knowledge/start.js';
import { compileMapping } from '../src/core/mapping/compile.js';
import type { MappingDocument, ModeDocument } from '../src/core/model/mapping.js';
import { GatewayMetrics } from '../src/server/admin.js';
import { startGateway, type RunningGateway } from '../src/server/gateway.js';
import { rolloutOf, rolloutProblems } from '../src/server/rollout.js';
import type { ShadowOptions } from '../src/server/shadow.js';
import { validateAgainstSchema } from '../src/io/schema-validation.js';
import { KNOWLEDGE_MAPPING, loadKnowledgeTable } from './support/example-stack.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/*
 * Rollout modes per endpoint, with a v1 and a v2 stand-in that say which side answered:
 * legacy passes through, split shares (sticky per client), shadow answers from legacy and
 * compares the translated answer in the background with the checker's comparator.
 */

type Recording = Awaited<ReturnType<typeof startRecordingUpstream>>;
let v1: Recording;
let v2: Recording;
let v2Hold: Promise<void> | undefined;
let v1Stamp = false;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  v1 = await startRecordingUpstream(() => json({ side: 'v1', ...(v1Stamp ? { at: Math.random() } : {}) }));
  v2 = await startRecordingUpstream(async () => {
    await v2Hold;
    return json({ data: { side: v1Stamp ? 'v1' : 'v2', ...(v1Stamp ? { at: Math.random() } : {}) } });
  });
});
afterAll(async () => {
  await v1?.close();
  await v2?.close();
});
afterEach(async () => {
  v2Hold = undefined;
  v1Stamp = false;
  while (cleanups.length) await cleanups.pop()!();
});

function mapping(mode: ModeDocument, extra: Partial<MappingDocument['endpoints'][number]> = {}): MappingDocument {
  return {
    name: 'rollout',
    upstream: v2.url,
    legacy: v1.url,
    endpoints: [
      { id: 'thing', v1: 'GET /v1/thing', v2: 'GET /v2/thing', response: [{ unwrap: 'body.data' }], mode },
      { id: 'search', v1: 'POST /v1/search', v2: 'POST /v2/search', response: [{ unwrap: 'body.data' }], mode, ...extra },
    ],
  };
}

async function gatewayWith(document: MappingDocument, shadowOptions?: ShadowOptions): Promise<{ gateway: RunningGateway; metrics: GatewayMetrics }> {
  const { table, diagnostics } = compileMapping(document);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const metrics = new GatewayMetrics({ processMetrics: false });
  const gateway = await startGateway({ table: table!, rollout: rolloutOf(document), observer: metrics, shadowOptions });
  cleanups.push(() => gateway.close());
  return { gateway, metrics };
}

async function side(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  expect(response.status).toBe(200);
  return ((await response.json()) as { side: string }).side;
}

describe('the mode in the mapping', () => {
  it('is part of the published schema', () => {
    const base = { name: 'x', upstream: 'http://127.0.0.1:1', endpoints: [{ id: 'a', v1: 'GET /a', v2: 'GET /b' }] };
    const withMode = (mode: unknown) => ({ ...base, endpoints: [{ ...base.endpoints[0], mode }] });
    expect(validateAgainstSchema('mapping', withMode('shadow'))).toEqual([]);
    expect(validateAgainstSchema('mapping', withMode({ split: '12.5%', sticky: 'x-client-id' }))).toEqual([]);
    expect(validateAgainstSchema('mapping', withMode('canary'))).not.toEqual([]);
    expect(validateAgainstSchema('mapping', withMode({ split: '120%' }))).not.toEqual([]);
  });

  it('modes other than translate need a legacy API, said per endpoint', () => {
    const document = { ...mapping('legacy'), legacy: undefined };
    expect(rolloutProblems(rolloutOf(document), false)).toEqual([
      'endpoint "thing" has mode legacy, which needs the legacy API: set `legacy` in the mapping or pass --legacy',
      'endpoint "search" has mode legacy, which needs the legacy API: set `legacy` in the mapping or pass --legacy',
    ]);
  });
});

describe('legacy and split', () => {
  it('legacy passes the request to v1 untouched and never calls v2', async () => {
    const { gateway } = await gatewayWith(mapping('legacy'));
    const before = v2.received.length;
    expect(await side(`${gateway.url}/v1/thing?x=1`)).toBe('v1');
    expect(v1.received.at(-1)!.rawTarget).toBe('/v1/thing?x=1');
    expect(v2.received.length).toBe(before);
  });

  it('split translates about its share, and the same client always lands on the same side', async () => {
    const { gateway } = await gatewayWith(mapping({ split: '30%', sticky: 'x-client-id' }));
    const sides: string[] = [];
    for (let client = 0; client < 200; client++) {
      const first = await side(`${gateway.url}/v1/thing`, { headers: { 'x-client-id': `client-${client}` } });
      for (let again = 0; again < 2; again++) expect(await side(`${gateway.url}/v1/thing`, { headers: { 'x-client-id': `client-${client}` } })).toBe(first);
      sides.push(first);
    }
    const translated = sides.filter((answer) => answer === 'v2').length / sides.length;
    // 200 clients hashed: well inside these bounds for any fair hash.
    expect(translated).toBeGreaterThan(0.15);
    expect(translated).toBeLessThan(0.45);
  });
});

describe('shadow', () => {
  it('answers from legacy and counts the translated answer that differs, with a sample', async () => {
    const { gateway, metrics } = await gatewayWith(mapping('shadow'));
    expect(await side(`${gateway.url}/v1/thing`)).toBe('v1');
    await gateway.gateway.shadow.idle();
    const summary = gateway.gateway.shadow.summary();
    expect(summary.endpoints.thing).toMatchObject({ compared: 1, mismatched: 1, matched: 0 });
    expect(summary.endpoints.thing!.samples[0]).toMatchObject({ target: 'GET /v1/thing', differences: [{ pointer: '/body/side', legacy: 'v1', translated: 'v2' }] });
    expect(await metrics.registry.metrics()).toContain('api_compat_shadow_comparisons_total{endpoint="thing",result="mismatch"} 1');
  });

  it('never makes the client wait for v2', async () => {
    const { gateway } = await gatewayWith(mapping('shadow'));
    let release!: () => void;
    v2Hold = new Promise<void>((resolve) => (release = resolve));
    const before = v2.received.length;
    expect(await side(`${gateway.url}/v1/thing`)).toBe('v1');
    // The client has its answer while v2 is still holding the shadow call.
    while (v2.received.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await gateway.gateway.shadow.idle();
    expect(gateway.gateway.shadow.summary().endpoints.thing!.compared).toBe(1);
  });

  it('does not call v2 for a mutating method unless the endpoint is declared shadowSafe', async () => {
    const { gateway } = await gatewayWith(mapping('shadow'));
    const before = v2.received.length;
    expect(await side(`${gateway.url}/v1/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"x"}' })).toBe('v1');
    await gateway.gateway.shadow.idle();
    expect(v2.received.length).toBe(before);

    const safe = await gatewayWith(mapping('shadow', { shadowSafe: true }));
    expect(await side(`${safe.gateway.url}/v1/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"x"}' })).toBe('v1');
    await safe.gateway.gateway.shadow.idle();
    expect(v2.received.at(-1)).toMatchObject({ method: 'POST', body: '{"q":"x"}' });
    expect(JSON.parse(v1.received.at(-1)!.body)).toEqual({ q: 'x' });
  });

  it('drops and counts comparisons beyond its queue instead of queueing without bound', async () => {
    const { gateway, metrics } = await gatewayWith(mapping('shadow'), { queueLimit: 1, concurrency: 1 });
    let release!: () => void;
    v2Hold = new Promise<void>((resolve) => (release = resolve));
    const before = v2.received.length;
    await side(`${gateway.url}/v1/thing`);
    while (v2.received.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    await side(`${gateway.url}/v1/thing`);
    await side(`${gateway.url}/v1/thing`);
    release();
    await gateway.gateway.shadow.idle();
    expect(gateway.gateway.shadow.summary().endpoints.thing).toMatchObject({ compared: 2, dropped: 1 });
    expect(await metrics.registry.metrics()).toContain('api_compat_shadow_comparisons_total{endpoint="thing",result="dropped"} 1');
  });

  it('passes a legacy answer too large to hold through streamed, uncompared, instead of changing it', async () => {
    const large = 'x'.repeat(2 * 1024 * 1024);
    const bigV1 = await startRecordingUpstream(() => json({ side: 'v1', large }));
    cleanups.push(() => bigV1.close());
    const document = { ...mapping('shadow'), legacy: bigV1.url };
    const { table } = compileMapping(document);
    const gateway = await startGateway({ table: table!, rollout: rolloutOf(document), upstreamOptions: { bodyLimit: 1024 * 1024 } });
    cleanups.push(() => gateway.close());
    const answer = await fetch(`${gateway.url}/v1/thing`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { large: string }).large).toHaveLength(large.length);
    await gateway.gateway.shadow.idle();
    expect(gateway.gateway.shadow.summary().endpoints.thing).toMatchObject({ compared: 0, dropped: 1 });
  });

  it('learns noise where legacy disagrees with itself, as the checker does', async () => {
    v1Stamp = true;
    const { gateway } = await gatewayWith(mapping('shadow'));
    for (let i = 0; i < 4; i++) {
      await side(`${gateway.url}/v1/thing`);
      await gateway.gateway.shadow.idle();
    }
    const thing = gateway.gateway.shadow.summary().endpoints.thing!;
    // The first comparison knew no noise yet; from the second on, /body/at is noise.
    expect(thing).toMatchObject({ compared: 4, mismatched: 1, matched: 3, noise: ['/body/at'] });
  });
});

describe('shadow over the bundled example', () => {
  let services: ExampleServices;
  beforeAll(async () => {
    services = await startExampleServices();
  });
  afterAll(() => services.close());

  it('finds v1 and the translation through v2 identical for every read it shadows', async () => {
    const table = await loadKnowledgeTable({ V2_URL: services.v2.url, V1_URL: services.v1.url });
    expect(KNOWLEDGE_MAPPING).toContain('knowledge.yaml');
    const rollout = new Map(table.endpoints.map((endpoint) => [endpoint.id, { kind: 'shadow' as const, shadowSafe: false }]));
    const gateway = await startGateway({ table, rollout, legacyUrl: services.v1.url });
    cleanups.push(() => gateway.close());
    for (const path of ['/tasks/2', '/tasks/3', '/api/v1/knowledge/1', '/api/v1/search?q=vector&limit=5', '/tasks/42']) expect((await fetch(`${gateway.url}${path}`)).status).toBeLessThan(500);
    await gateway.gateway.shadow.idle();
    const endpoints = gateway.gateway.shadow.summary().endpoints;
    const totals = Object.values(endpoints).reduce((sum, tally) => ({ compared: sum.compared + tally.compared, mismatched: sum.mismatched + tally.mismatched }), { compared: 0, mismatched: 0 });
    expect(totals).toEqual({ compared: 5, mismatched: 0 });
  });
});
