import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, startExampleStack, type Answer, type ExampleStack } from './support/example-stack.js';

/**
 * The promise of the product: for every v1 endpoint of the bundled example, a v1 client gets
 * the same answer from the gateway (backed by the v2 service) as from the real v1 service.
 * Values that differ by nature are named here, and only these are excluded:
 */
const DIFFER_BY_NATURE = {
  // New and updated records are stamped with the clock of the service that wrote them.
  timestamps: ['created_at', 'updated_at'],
  // The gateway adds these to every v1 response; they are asserted in gateway-app.test.ts.
  gatewayHeaders: ['deprecation', 'sunset', 'link', 'x-request-id'],
};
const COMPARED_HEADERS = ['content-type', 'x-total-count', 'location'];

let stack: ExampleStack;

beforeAll(async () => {
  stack = await startExampleStack();
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  await Promise.all([call(stack.services.v1.url, 'POST', '/__reset'), call(stack.services.v2.url, 'POST', '/__reset')]);
});

function withoutTimestamps(value: unknown, stampsDiffer: boolean): unknown {
  if (!stampsDiffer) return value;
  if (Array.isArray(value)) return value.map((item) => withoutTimestamps(item, true));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !DIFFER_BY_NATURE.timestamps.includes(key))
        .map(([key, item]) => [key, withoutTimestamps(item, true)]),
    );
  }
  return value;
}

function clientView(answer: Answer, stampsDiffer = false) {
  return {
    status: answer.status,
    headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, answer.headers.get(name)])),
    body: withoutTimestamps(answer.body, stampsDiffer),
  };
}

/** Sends the same request to v1 and through the gateway, after the same earlier requests. */
async function both(method: string, path: string, body?: unknown, setup: Array<[string, string, unknown?]> = []) {
  for (const [m, p, b] of setup) {
    await call(stack.services.v1.url, m, p, b);
    await call(stack.gateway.url, m, p, b);
  }
  return { v1: await call(stack.services.v1.url, method, path, body), gateway: await call(stack.gateway.url, method, path, body) };
}

describe('every v1 endpoint through the gateway answers as v1 does', () => {
  const reads: Array<[string, string]> = [
    ['list, default page', '/api/v1/knowledge'],
    ['list, second page of two', '/api/v1/knowledge?page=2&limit=2'],
    ['list, past the end', '/api/v1/knowledge?page=9&limit=2'],
    ['read one, with related ids from a second v2 call', '/api/v1/knowledge/1'],
    ['read one without related items', '/api/v1/knowledge/3'],
    ['read a missing item (404 error shape)', '/api/v1/knowledge/999'],
    ['search by keyword', '/api/v1/search?q=vector&limit=5'],
    ['search with a type filter', '/api/v1/search?q=search&type=article'],
    ['search with a limit below the match count', '/api/v1/search?q=e&limit=1'],
    ['search without q (validation error, 422 becomes 400)', '/api/v1/search'],
    ['read a task (scale, enum, promoted timeout)', '/tasks/2'],
    ['read the top-priority task', '/tasks/3'],
    ['read a missing task', '/tasks/42'],
  ];
  it.each(reads)('GET %s', async (_name, path) => {
    const { v1, gateway } = await both('GET', path);
    expect(clientView(gateway)).toEqual(clientView(v1));
  });

  it('creates an item: 201, Location, same fields and the same new id', async () => {
    const { v1, gateway } = await both('POST', '/api/v1/knowledge/add', { title: 'T', content: 'C', type: 'snippet', tags: ['a', 'b'] });
    expect(v1.status).toBe(201);
    expect(clientView(gateway, true)).toEqual(clientView(v1, true));
  });

  it('rejects a create without a title with the v1 error shape', async () => {
    const { v1, gateway } = await both('POST', '/api/v1/knowledge/add', { content: 'C' });
    expect(v1.status).toBe(400);
    expect(clientView(gateway)).toEqual(clientView(v1));
  });

  it('reads back a created item (related ids default to empty)', async () => {
    const { v1, gateway } = await both('GET', '/api/v1/knowledge/6', undefined, [['POST', '/api/v1/knowledge/add', { title: 'T', content: 'C' }]]);
    expect(v1.status).toBe(200);
    expect(clientView(gateway, true)).toEqual(clientView(v1, true));
  });

  it('updates an item with PUT (PATCH in v2)', async () => {
    const { v1, gateway } = await both('PUT', '/api/v1/knowledge/2', { title: 'Renamed', type: 'article', tags: ['x'] });
    expect(v1.status).toBe(200);
    expect(clientView(gateway, true)).toEqual(clientView(v1, true));
  });

  it('rejects an update with an invalid field value', async () => {
    const { v1, gateway } = await both('PUT', '/api/v1/knowledge/2', { title: 5 });
    expect(v1.status).toBe(400);
    expect(clientView(gateway)).toEqual(clientView(v1));
  });

  it('deletes an item: 204 without a body, then 404', async () => {
    const removed = await both('DELETE', '/api/v1/knowledge/3');
    expect(removed.v1.status).toBe(204);
    expect(clientView(removed.gateway)).toEqual(clientView(removed.v1));
    const after = await both('GET', '/api/v1/knowledge/3');
    expect(after.v1.status).toBe(404);
    expect(clientView(after.gateway)).toEqual(clientView(after.v1));
  });

  it('deleting an item removes it from the related ids of others', async () => {
    const { v1, gateway } = await both('GET', '/api/v1/knowledge/1', undefined, [['DELETE', '/api/v1/knowledge/2']]);
    expect((v1.body as { related_ids: number[] }).related_ids).toEqual([3]);
    expect(clientView(gateway)).toEqual(clientView(v1));
  });

  it('creates a task and reads it back (priority scaled both ways, status mapped)', async () => {
    const created = await both('POST', '/tasks', { name: 'reindex', priority: 4, metadata: { timeout_seconds: 90 } });
    expect(created.v1.status).toBe(201);
    expect(clientView(created.gateway, true)).toEqual(clientView(created.v1, true));
    const read = await both('GET', '/tasks/4');
    expect(clientView(read.gateway, true)).toEqual(clientView(read.v1, true));
  });

  it('creates a task with defaults', async () => {
    const { v1, gateway } = await both('POST', '/tasks', { name: 'defaults' });
    expect(clientView(gateway, true)).toEqual(clientView(v1, true));
  });

  it('rejects a task without a name', async () => {
    const { v1, gateway } = await both('POST', '/tasks', { priority: 2 });
    expect(v1.status).toBe(400);
    expect(clientView(gateway)).toEqual(clientView(v1));
  });
});

describe('intended differences', () => {
  it('answers the removed POST /execute with 410 problem+json naming the replacement (v1 itself still runs it)', async () => {
    const { v1, gateway } = await both('POST', '/execute', { task_id: 1 });
    expect(v1.status).toBe(202);
    expect(gateway.status).toBe(410);
    expect(gateway.headers.get('content-type')).toBe('application/problem+json');
    expect(gateway.body).toMatchObject({ status: 410, code: 'endpoint-removed', replacement: 'POST /api/v2/tasks' });
  });

  it('answers an unmapped route with a 404 problem when no legacy API is configured', async () => {
    const gateway = await call(stack.gateway.url, 'GET', '/api/v1/unknown');
    expect(gateway.status).toBe(404);
    expect(gateway.body).toMatchObject({ code: 'route-not-found', status: 404 });
  });

  it('sends only the named gateway headers in addition to what v1 sends', async () => {
    const { v1, gateway } = await both('GET', '/api/v1/knowledge/1');
    const names = (headers: Headers) => [...headers.keys()].filter((name) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name));
    expect(names(gateway.headers).filter((name) => !names(v1.headers).includes(name)).sort()).toEqual([...DIFFER_BY_NATURE.gatewayHeaders].sort());
  });
});
