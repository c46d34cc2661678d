import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenApiContract } from '../examples/knowledge/openapi-check.js';
import { startExampleServices, type ExampleServices } from '../examples/knowledge/start.js';
import { createV1Service, type Knowledge, type KnowledgeDetail, type Task } from '../examples/knowledge/v1-service.js';
import { createV2Service, type KnowledgeV2, type TaskV2 } from '../examples/knowledge/v2-service.js';

/*
 * Drives both example services over real HTTP. Every reply to a documented operation is checked
 * against the service's OpenAPI document (status, content type, required headers, body schema, and
 * for accepted requests the request body too), and the last test insists every documented response
 * was produced at least once.
 */

type ApiName = 'v1' | 'v2';

interface Api {
  url: string;
  contract: OpenApiContract;
}

interface Reply<T> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** A request body sent as-is instead of as JSON, for malformed-body cases. */
class RawBody {
  constructor(readonly text: string) {}
}

const V1_KNOWLEDGE_KEYS = ['id', 'title', 'content', 'type', 'tags', 'created_at', 'updated_at'];
const V2_KNOWLEDGE_KEYS = ['id', 'title', 'body', 'knowledge_type', 'metadata', 'created_at', 'updated_at'];
const PROBLEM_BASE = 'https://api.example.com/problems/';

let services: ExampleServices;
const apis = {} as Record<ApiName, Api>;

beforeAll(async () => {
  services = await startExampleServices({ v1Port: 0, v2Port: 0, host: '127.0.0.1' });
  apis.v1 = { url: services.v1.url, contract: OpenApiContract.fromFile(examplePath('openapi-v1.yaml')) };
  apis.v2 = { url: services.v2.url, contract: OpenApiContract.fromFile(examplePath('openapi-v2.yaml')) };
});

afterAll(async () => {
  await services?.close();
});

beforeEach(async () => {
  expect((await call('v1', 'POST', '/__reset')).status).toBe(204);
  expect((await call('v2', 'POST', '/__reset')).status).toBe(204);
});

function examplePath(file: string): string {
  return fileURLToPath(new URL(`../examples/knowledge/${file}`, import.meta.url));
}

async function send<T>(api: ApiName, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = body instanceof RawBody ? body.text : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`${apis[api].url}${path}`, init);
  const text = await response.text();
  const parsed = (text === '' ? undefined : JSON.parse(text)) as T;
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Sends a request to a documented operation and fails unless the exchange matches the OpenAPI document. */
async function call<T = unknown>(api: ApiName, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const reply = await send<T>(api, method, path, body);
  const problems = apis[api].contract.check({
    method,
    path,
    requestBody: body instanceof RawBody ? undefined : body,
    status: reply.status,
    headers: reply.headers,
    bodyText: reply.text,
  });
  expect(problems, `${method} ${path}`).toEqual([]);
  return reply;
}

function expectV1Error(reply: Reply<unknown>, status: 400 | 404, message: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json\b/);
  const code = status === 404 ? 'not_found' : 'validation_error';
  expect(reply.body).toEqual({ error: { code, message } });
}

function expectProblem(reply: Reply<unknown>, status: 404 | 422, detail: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  const [kind, title] = status === 404 ? ['not-found', 'Not Found'] : ['validation-error', 'Unprocessable Content'];
  expect(reply.body).toEqual({ type: `${PROBLEM_BASE}${kind}`, title, status, detail });
}

function expectRecentTimestamp(timestamp: string): void {
  expect(new Date(timestamp).toISOString()).toBe(timestamp);
  expect(Math.abs(Date.parse(timestamp) - Date.now())).toBeLessThan(60_000);
}

const ids = (items: { id: number | string }[]) => items.map((item) => item.id);

describe('startExampleServices', () => {
  it('serves v1 and v2 on separate loopback ports', () => {
    expect(services.v1.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(services.v2.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(services.v1.port).toBeGreaterThan(0);
    expect(services.v1.port).not.toBe(services.v2.port);
  });
});

describe('v1 knowledge listing', () => {
  it('returns the first page of the seed ordered by id with X-Total-Count', async () => {
    const reply = await call<Knowledge[]>('v1', 'GET', '/api/v1/knowledge');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(reply.headers.get('x-total-count')).toBe('5');
    expect(ids(reply.body)).toEqual([1, 2, 3, 4, 5]);
    expect(Object.keys(reply.body[0]!)).toEqual(V1_KNOWLEDGE_KEYS);
    expect(reply.body[0]).toEqual({
      id: 1,
      title: 'Vector databases',
      content: 'Vector databases index embeddings for similarity search.',
      type: 'article',
      tags: ['vector', 'search'],
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:30:00.000Z',
    });
    expect(new Set(reply.body.map((item) => item.created_at)).size).toBe(5);
  });

  it.each([
    ['?page=1&limit=2', [1, 2]],
    ['?page=2&limit=2', [3, 4]],
    ['?page=3&limit=2', [5]],
    ['?page=4&limit=2', []],
    ['?limit=100', [1, 2, 3, 4, 5]],
    ['?page=2', []],
  ])('paginates %s', async (query, expected) => {
    const reply = await call<Knowledge[]>('v1', 'GET', `/api/v1/knowledge${query}`);
    expect(reply.status).toBe(200);
    expect(ids(reply.body)).toEqual(expected);
    expect(reply.headers.get('x-total-count')).toBe('5');
  });

  it.each([
    ['page=0', 'page must be an integer >= 1'],
    ['page=abc', 'page must be an integer >= 1'],
    ['page=1.5', 'page must be an integer >= 1'],
    ['page=-1', 'page must be an integer >= 1'],
    ['page=', 'page must be an integer >= 1'],
    ['limit=0', 'limit must be an integer between 1 and 100'],
    ['limit=101', 'limit must be an integer between 1 and 100'],
    ['limit=ten', 'limit must be an integer between 1 and 100'],
  ])('rejects %s', async (query, message) => {
    expectV1Error(await call('v1', 'GET', `/api/v1/knowledge?${query}`), 400, message);
  });
});

describe('v1 knowledge item', () => {
  it('returns the detail with related_ids after the Knowledge fields', async () => {
    const reply = await call<KnowledgeDetail>('v1', 'GET', '/api/v1/knowledge/1');
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual([...V1_KNOWLEDGE_KEYS, 'related_ids']);
    expect(reply.body.related_ids).toEqual([2, 3]);
    expect(reply.body.title).toBe('Vector databases');
  });

  it.each(['99', 'abc', '01'])('answers 404 for knowledge %s', async (id) => {
    expectV1Error(await call('v1', 'GET', `/api/v1/knowledge/${id}`), 404, `knowledge ${id} not found`);
  });

  it('updates the given fields, refreshes updated_at and omits related_ids', async () => {
    const reply = await call<Knowledge>('v1', 'PUT', '/api/v1/knowledge/2', { title: 'Embeddings', tags: ['ml'] });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(V1_KNOWLEDGE_KEYS);
    expect(reply.body).toMatchObject({
      id: 2,
      title: 'Embeddings',
      content: 'Embedding models turn text into vectors.',
      type: 'note',
      tags: ['ml'],
      created_at: '2026-01-02T10:00:00.000Z',
    });
    expectRecentTimestamp(reply.body.updated_at);

    const stored = await call<KnowledgeDetail>('v1', 'GET', '/api/v1/knowledge/2');
    expect(stored.body).toEqual({ ...reply.body, related_ids: [1] });
  });

  it('accepts every field at once', async () => {
    const changes = { title: 'T', content: 'C', type: 'snippet', tags: [] };
    const reply = await call<Knowledge>('v1', 'PUT', '/api/v1/knowledge/3', changes);
    expect(reply.body).toMatchObject(changes);
  });

  it.each([
    [{ title: 5 }, 'title must be a string'],
    [{ content: null }, 'content must be a string'],
    [{ type: 'essay' }, 'type must be one of note, article, snippet'],
    [{ tags: 'vector' }, 'tags must be an array of strings'],
    [{ tags: ['ok', 3] }, 'tags must be an array of strings'],
    [new RawBody('{"title":'), 'request body must be valid JSON'],
    [new RawBody(''), 'request body must be valid JSON'],
  ])('rejects the update %j', async (body, message) => {
    expectV1Error(await call('v1', 'PUT', '/api/v1/knowledge/1', body), 400, message);
    const unchanged = await call<KnowledgeDetail>('v1', 'GET', '/api/v1/knowledge/1');
    expect(unchanged.body.updated_at).toBe('2026-01-01T09:30:00.000Z');
  });

  it('answers 404 when updating an unknown item', async () => {
    expectV1Error(await call('v1', 'PUT', '/api/v1/knowledge/42', { title: 'x' }), 404, 'knowledge 42 not found');
  });

  it('deletes an item and removes it from the related lists of others', async () => {
    const reply = await call('v1', 'DELETE', '/api/v1/knowledge/1');
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');

    expectV1Error(await call('v1', 'GET', '/api/v1/knowledge/1'), 404, 'knowledge 1 not found');
    expect((await call<KnowledgeDetail>('v1', 'GET', '/api/v1/knowledge/2')).body.related_ids).toEqual([]);
    const list = await call<Knowledge[]>('v1', 'GET', '/api/v1/knowledge');
    expect(ids(list.body)).toEqual([2, 3, 4, 5]);
    expect(list.headers.get('x-total-count')).toBe('4');
    expectV1Error(await call('v1', 'DELETE', '/api/v1/knowledge/1'), 404, 'knowledge 1 not found');
  });
});

describe('v1 knowledge creation', () => {
  it('creates with defaults, answers 201 with Location, and numbers ids from 6', async () => {
    const reply = await call<Knowledge>('v1', 'POST', '/api/v1/knowledge/add', { title: 'Rate limits', content: 'Token buckets.' });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe('/api/v1/knowledge/6');
    expect(Object.keys(reply.body)).toEqual(V1_KNOWLEDGE_KEYS);
    expect(reply.body).toMatchObject({ id: 6, title: 'Rate limits', content: 'Token buckets.', type: 'note', tags: [] });
    expectRecentTimestamp(reply.body.created_at);
    expect(reply.body.updated_at).toBe(reply.body.created_at);

    const detail = await call<KnowledgeDetail>('v1', 'GET', '/api/v1/knowledge/6');
    expect(detail.body).toEqual({ ...reply.body, related_ids: [] });

    const next = await call<Knowledge>('v1', 'POST', '/api/v1/knowledge/add', {
      title: 'Bulkheads',
      content: 'Isolate pools.',
      type: 'article',
      tags: ['resilience'],
    });
    expect(next.headers.get('location')).toBe('/api/v1/knowledge/7');
    expect(next.body).toMatchObject({ id: 7, type: 'article', tags: ['resilience'] });
  });

  it.each([
    [{}, 'title is required'],
    [{ content: 5 }, 'title is required'],
    [{ title: 5 }, 'title must be a string'],
    [{ title: 'x' }, 'content is required'],
    [{ title: 'x', type: 'essay' }, 'content is required'],
    [{ title: 'x', content: false }, 'content must be a string'],
    [{ title: 'x', content: 'y', type: 'essay', tags: 'bad' }, 'type must be one of note, article, snippet'],
    [{ title: 'x', content: 'y', tags: [1] }, 'tags must be an array of strings'],
    [new RawBody('nope'), 'request body must be valid JSON'],
    [[], 'request body must be a JSON object'],
  ])('rejects %j', async (body, message) => {
    expectV1Error(await call('v1', 'POST', '/api/v1/knowledge/add', body), 400, message);
  });
});

describe('v1 search', () => {
  it('matches q case-insensitively in title or content, ordered by id', async () => {
    const reply = await call<{ results: Knowledge[]; count: number }>('v1', 'GET', '/api/v1/search?q=VECTOR');
    expect(reply.status).toBe(200);
    expect(ids(reply.body.results)).toEqual([1, 2]);
    expect(reply.body.count).toBe(2);
    expect(Object.keys(reply.body.results[0]!)).toEqual(V1_KNOWLEDGE_KEYS);
  });

  it.each([
    ['q=search', [1, 3], 2],
    ['q=search&type=article', [1, 3], 2],
    ['q=vector&type=note', [2], 1],
    ['q=search&limit=1', [1], 2],
    ['q=backoff', [4], 1],
    ['q=zebra', [], 0],
    ['q=search&type=essay', [], 0],
  ])('searches %s', async (query, expectedIds, expectedCount) => {
    const reply = await call<{ results: Knowledge[]; count: number }>('v1', 'GET', `/api/v1/search?${query}`);
    expect(ids(reply.body.results)).toEqual(expectedIds);
    expect(reply.body.count).toBe(expectedCount);
  });

  it.each([
    ['', 'q is required'],
    ['q=', 'q is required'],
    ['type=note', 'q is required'],
    ['q=x&limit=0', 'limit must be an integer between 1 and 100'],
    ['q=x&limit=101', 'limit must be an integer between 1 and 100'],
    ['q=x&limit=2.5', 'limit must be an integer between 1 and 100'],
  ])('rejects "%s"', async (query, message) => {
    expectV1Error(await call('v1', 'GET', `/api/v1/search?${query}`), 400, message);
  });
});

describe('v1 tasks', () => {
  it('returns a seeded task', async () => {
    const reply = await call<Task>('v1', 'GET', '/tasks/2');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id: 2,
      name: 'backup',
      priority: 3,
      status: 'running',
      metadata: { timeout_seconds: 300 },
      created_at: '2026-01-10T08:05:00.000Z',
    });
  });

  it('creates a pending task with defaults and numbers ids from 4', async () => {
    const reply = await call<Task>('v1', 'POST', '/tasks', { name: 'vacuum' });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body)).toEqual(['id', 'name', 'priority', 'status', 'metadata', 'created_at']);
    expect(reply.body).toMatchObject({ id: 4, name: 'vacuum', priority: 3, status: 'pending', metadata: { timeout_seconds: 60 } });
    expectRecentTimestamp(reply.body.created_at);
    expect((await call<Task>('v1', 'GET', '/tasks/4')).body).toEqual(reply.body);

    const next = await call<Task>('v1', 'POST', '/tasks', { name: 'warm', priority: 5, metadata: { timeout_seconds: 1 } });
    expect(next.body).toMatchObject({ id: 5, priority: 5, metadata: { timeout_seconds: 1 } });
  });

  it.each([
    [{}, 'name is required'],
    [{ name: 'x', priority: 0 }, 'priority must be an integer between 1 and 5'],
    [{ name: 'x', priority: 6 }, 'priority must be an integer between 1 and 5'],
    [{ name: 'x', priority: 2.5 }, 'priority must be an integer between 1 and 5'],
    [{ name: 'x', priority: '3' }, 'priority must be an integer between 1 and 5'],
    [{ name: 'x', metadata: { timeout_seconds: 0 } }, 'metadata.timeout_seconds must be a positive integer'],
    [{ name: 'x', metadata: { timeout_seconds: 1.5 } }, 'metadata.timeout_seconds must be a positive integer'],
    [new RawBody('{'), 'request body must be valid JSON'],
  ])('rejects %j', async (body, message) => {
    expectV1Error(await call('v1', 'POST', '/tasks', body), 400, message);
  });

  it.each(['99', 'abc'])('answers 404 for task %s', async (id) => {
    expectV1Error(await call('v1', 'GET', `/tasks/${id}`), 404, `task ${id} not found`);
  });

  it('executes a task: 202 and the task is now running', async () => {
    const reply = await call<{ task_id: number; status: string }>('v1', 'POST', '/execute', { task_id: 1 });
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ task_id: 1, status: 'running' });
    expect((await call<Task>('v1', 'GET', '/tasks/1')).body.status).toBe('running');
  });

  it('rejects executing a missing or unknown task', async () => {
    expectV1Error(await call('v1', 'POST', '/execute', {}), 400, 'task_id is required');
    expectV1Error(await call('v1', 'POST', '/execute', new RawBody('x')), 400, 'request body must be valid JSON');
    expectV1Error(await call('v1', 'POST', '/execute', { task_id: 42 }), 404, 'task 42 not found');
  });
});

describe('v1 reset and unknown routes', () => {
  it('POST /__reset restores the seed and the id counters', async () => {
    await call('v1', 'POST', '/api/v1/knowledge/add', { title: 'a', content: 'b' });
    await call('v1', 'DELETE', '/api/v1/knowledge/1');
    await call('v1', 'PUT', '/api/v1/knowledge/2', { title: 'changed' });
    await call('v1', 'POST', '/tasks', { name: 'extra' });
    await call('v1', 'POST', '/execute', { task_id: 1 });

    const reset = await call('v1', 'POST', '/__reset');
    expect(reset.status).toBe(204);
    expect(reset.text).toBe('');

    const list = await call<Knowledge[]>('v1', 'GET', '/api/v1/knowledge');
    expect(ids(list.body)).toEqual([1, 2, 3, 4, 5]);
    expect(list.body[1]!.title).toBe('Embedding models');
    expect((await call<KnowledgeDetail>('v1', 'GET', '/api/v1/knowledge/2')).body.related_ids).toEqual([1]);
    expect((await call<Task>('v1', 'GET', '/tasks/1')).body.status).toBe('pending');
    expectV1Error(await call('v1', 'GET', '/tasks/4'), 404, 'task 4 not found');
    expect((await call<Knowledge>('v1', 'POST', '/api/v1/knowledge/add', { title: 'a', content: 'b' })).body.id).toBe(6);
    expect((await call<Task>('v1', 'POST', '/tasks', { name: 'n' })).body.id).toBe(4);
  });

  it('reset() on a service restores its seed without HTTP', async () => {
    const service = createV1Service();
    const add = () =>
      service.app.request('/api/v1/knowledge/add', { method: 'POST', body: JSON.stringify({ title: 't', content: 'c' }) });
    expect(((await (await add()).json()) as Knowledge).id).toBe(6);
    expect(((await (await add()).json()) as Knowledge).id).toBe(7);
    service.reset();
    expect(((await (await add()).json()) as Knowledge).id).toBe(6);
  });

  it.each([
    ['GET', '/nope'],
    ['POST', '/api/v1/knowledge'],
    ['GET', '/api/v2/knowledge'],
  ])('answers 404 for %s %s', async (method, path) => {
    const reply = await send('v1', method, path);
    expectV1Error(reply, 404, `no route for ${method} ${path}`);
    expect(apis.v1.contract.checkComponent('NotFoundError', reply.body)).toEqual([]);
  });
});

describe('v2 knowledge listing', () => {
  it('returns the first page of the seed in a data/meta envelope', async () => {
    const reply = await call<{ data: KnowledgeV2[]; meta: { total: number } }>('v2', 'GET', '/api/v2/knowledge');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(reply.headers.get('x-total-count')).toBeNull();
    expect(ids(reply.body.data)).toEqual(['1', '2', '3', '4', '5']);
    expect(reply.body.meta).toEqual({ total: 5 });
    expect(Object.keys(reply.body.data[0]!)).toEqual(V2_KNOWLEDGE_KEYS);
    expect(reply.body.data[0]).toEqual({
      id: '1',
      title: 'Vector databases',
      body: 'Vector databases index embeddings for similarity search.',
      knowledge_type: 'article',
      metadata: { tags: ['vector', 'search'] },
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:30:00.000Z',
    });
  });

  it.each([
    ['?page[number]=2&page[size]=2', ['3', '4']],
    ['?page%5Bnumber%5D=3&page%5Bsize%5D=2', ['5']],
    ['?page[number]=4&page[size]=2', []],
    ['?page[size]=100', ['1', '2', '3', '4', '5']],
    ['?page=2&limit=1', ['1', '2', '3', '4', '5']],
  ])('paginates %s', async (query, expected) => {
    const reply = await call<{ data: KnowledgeV2[]; meta: { total: number } }>('v2', 'GET', `/api/v2/knowledge${query}`);
    expect(ids(reply.body.data)).toEqual(expected);
    expect(reply.body.meta.total).toBe(5);
  });

  it.each([
    ['page[number]=0', 'page[number] must be an integer >= 1'],
    ['page[number]=x', 'page[number] must be an integer >= 1'],
    ['page[size]=0', 'page[size] must be an integer between 1 and 100'],
    ['page[size]=101', 'page[size] must be an integer between 1 and 100'],
  ])('rejects %s with 422', async (query, detail) => {
    expectProblem(await call('v2', 'GET', `/api/v2/knowledge?${query}`), 422, detail);
  });
});

describe('v2 knowledge item', () => {
  it('returns an item without related ids, and its related ids separately', async () => {
    const item = await call<KnowledgeV2>('v2', 'GET', '/api/v2/knowledge/1');
    expect(item.status).toBe(200);
    expect(Object.keys(item.body)).toEqual(V2_KNOWLEDGE_KEYS);

    const related = await call<{ data: { id: string }[] }>('v2', 'GET', '/api/v2/knowledge/1/related');
    expect(related.status).toBe(200);
    expect(related.body).toEqual({ data: [{ id: '2' }, { id: '3' }] });
    expect((await call('v2', 'GET', '/api/v2/knowledge/3/related')).body).toEqual({ data: [] });
  });

  it.each(['99', 'abc', '01'])('answers 404 problems for knowledge %s', async (id) => {
    expectProblem(await call('v2', 'GET', `/api/v2/knowledge/${id}`), 404, `knowledge ${id} not found`);
    expectProblem(await call('v2', 'GET', `/api/v2/knowledge/${id}/related`), 404, `knowledge ${id} not found`);
    expectProblem(await call('v2', 'PATCH', `/api/v2/knowledge/${id}`, { title: 'x' }), 404, `knowledge ${id} not found`);
    expectProblem(await call('v2', 'DELETE', `/api/v2/knowledge/${id}`), 404, `knowledge ${id} not found`);
  });

  it('patches the given fields, including nested metadata.tags', async () => {
    const reply = await call<KnowledgeV2>('v2', 'PATCH', '/api/v2/knowledge/2', {
      body: 'Models that embed.',
      metadata: { tags: ['ml'] },
    });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body)).toEqual(V2_KNOWLEDGE_KEYS);
    expect(reply.body).toMatchObject({
      id: '2',
      title: 'Embedding models',
      body: 'Models that embed.',
      knowledge_type: 'note',
      metadata: { tags: ['ml'] },
      created_at: '2026-01-02T10:00:00.000Z',
    });
    expectRecentTimestamp(reply.body.updated_at);
    expect((await call('v2', 'GET', '/api/v2/knowledge/2')).body).toEqual(reply.body);

    const retitled = await call<KnowledgeV2>('v2', 'PATCH', '/api/v2/knowledge/2', {
      title: 'E',
      knowledge_type: 'snippet',
      metadata: {},
    });
    expect(retitled.body).toMatchObject({ title: 'E', knowledge_type: 'snippet', metadata: { tags: ['ml'] } });
  });

  it.each([
    [{ title: 1 }, 'title must be a string'],
    [{ body: 1 }, 'body must be a string'],
    [{ knowledge_type: 'essay' }, 'knowledge_type must be one of note, article, snippet'],
    [{ metadata: { tags: [1] } }, 'metadata.tags must be an array of strings'],
    [{ metadata: { tags: 'x' } }, 'metadata.tags must be an array of strings'],
    [new RawBody('{{'), 'request body must be valid JSON'],
  ])('rejects the patch %j with 422', async (body, detail) => {
    expectProblem(await call('v2', 'PATCH', '/api/v2/knowledge/1', body), 422, detail);
  });

  it('deletes an item with 200 and removes it from related lists', async () => {
    const reply = await call('v2', 'DELETE', '/api/v2/knowledge/1');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: '1', deleted: true });
    expectProblem(await call('v2', 'GET', '/api/v2/knowledge/1'), 404, 'knowledge 1 not found');
    expect((await call('v2', 'GET', '/api/v2/knowledge/2/related')).body).toEqual({ data: [] });
    expect((await call('v2', 'GET', '/api/v2/knowledge')).body).toMatchObject({ meta: { total: 4 } });
  });
});

describe('v2 knowledge creation', () => {
  it('creates with defaults, answers 200 without Location, and numbers ids from "6"', async () => {
    const reply = await call<KnowledgeV2>('v2', 'POST', '/api/v2/knowledge', { title: 'Rate limits', body: 'Token buckets.' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('location')).toBeNull();
    expect(Object.keys(reply.body)).toEqual(V2_KNOWLEDGE_KEYS);
    expect(reply.body).toMatchObject({ id: '6', knowledge_type: 'note', metadata: { tags: [] } });
    expectRecentTimestamp(reply.body.created_at);
    expect(reply.body.updated_at).toBe(reply.body.created_at);
    expect((await call('v2', 'GET', '/api/v2/knowledge/6/related')).body).toEqual({ data: [] });

    const next = await call<KnowledgeV2>('v2', 'POST', '/api/v2/knowledge', {
      title: 'Bulkheads',
      body: 'Isolate pools.',
      knowledge_type: 'article',
      metadata: { tags: ['resilience'] },
    });
    expect(next.body).toMatchObject({ id: '7', knowledge_type: 'article', metadata: { tags: ['resilience'] } });
  });

  it.each([
    [{}, 'title is required'],
    [{ body: 'x' }, 'title is required'],
    [{ title: 'x' }, 'body is required'],
    [{ title: 'x', body: 2 }, 'body must be a string'],
    [{ title: 'x', body: 'y', knowledge_type: 'essay' }, 'knowledge_type must be one of note, article, snippet'],
    [{ title: 'x', body: 'y', metadata: { tags: [null] } }, 'metadata.tags must be an array of strings'],
    [new RawBody('['), 'request body must be valid JSON'],
  ])('rejects %j with 422', async (body, detail) => {
    expectProblem(await call('v2', 'POST', '/api/v2/knowledge', body), 422, detail);
  });
});

describe('v2 advanced search', () => {
  type SearchReply = { hits: { item: KnowledgeV2; score: number }[]; total: number };

  it('scores hits by occurrences in title and body, ordered by id', async () => {
    const reply = await call<SearchReply>('v2', 'POST', '/api/v2/query/advanced-search', { query: 'VECTOR' });
    expect(reply.status).toBe(200);
    expect(reply.body.hits.map((hit) => [hit.item.id, hit.score])).toEqual([
      ['1', 2],
      ['2', 1],
    ]);
    expect(reply.body.total).toBe(2);
    expect(Object.keys(reply.body.hits[0]!.item)).toEqual(V2_KNOWLEDGE_KEYS);
  });

  it.each([
    [{ query: 'search' }, ['1', '3'], 2],
    [{ query: 'vector', filters: { knowledge_type: 'note' } }, ['2'], 1],
    [{ query: 'search', limit: 1 }, ['1'], 2],
    [{ query: 'zebra' }, [], 0],
    [{ query: 'search', filters: {} }, ['1', '3'], 2],
  ])('searches %j', async (body, expectedIds, expectedTotal) => {
    const reply = await call<SearchReply>('v2', 'POST', '/api/v2/query/advanced-search', body);
    expect(reply.body.hits.map((hit) => hit.item.id)).toEqual(expectedIds);
    expect(reply.body.total).toBe(expectedTotal);
  });

  it.each([
    [{}, 'query is required'],
    [{ query: '' }, 'query is required'],
    [{ query: 'x', limit: 0 }, 'limit must be an integer between 1 and 100'],
    [{ query: 'x', limit: 101 }, 'limit must be an integer between 1 and 100'],
    [{ query: 'x', limit: '5' }, 'limit must be an integer between 1 and 100'],
    [new RawBody('q'), 'request body must be valid JSON'],
  ])('rejects %j with 422', async (body, detail) => {
    expectProblem(await call('v2', 'POST', '/api/v2/query/advanced-search', body), 422, detail);
  });
});

describe('v2 tasks', () => {
  it('returns a seeded task', async () => {
    const reply = await call<TaskV2>('v2', 'GET', '/api/v2/tasks/2');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id: '2',
      name: 'backup',
      priority: 6,
      status: 'RUNNING',
      timeout_seconds: 300,
      created_at: '2026-01-10T08:05:00.000Z',
    });
  });

  it('creates a PENDING task with defaults, answers 202, and numbers ids from "4"', async () => {
    const reply = await call<TaskV2>('v2', 'POST', '/api/v2/tasks', { name: 'vacuum' });
    expect(reply.status).toBe(202);
    expect(Object.keys(reply.body)).toEqual(['id', 'name', 'priority', 'status', 'timeout_seconds', 'created_at']);
    expect(reply.body).toMatchObject({ id: '4', name: 'vacuum', priority: 5, status: 'PENDING', timeout_seconds: 60 });
    expectRecentTimestamp(reply.body.created_at);
    expect((await call('v2', 'GET', '/api/v2/tasks/4')).body).toEqual(reply.body);

    const next = await call<TaskV2>('v2', 'POST', '/api/v2/tasks', { name: 'warm', priority: 10, timeout_seconds: 5 });
    expect(next.body).toMatchObject({ id: '5', priority: 10, timeout_seconds: 5 });
  });

  it.each([
    [{}, 'name is required'],
    [{ name: 'x', priority: 0 }, 'priority must be an integer between 1 and 10'],
    [{ name: 'x', priority: 11 }, 'priority must be an integer between 1 and 10'],
    [{ name: 'x', timeout_seconds: 0 }, 'timeout_seconds must be a positive integer'],
    [{ name: 'x', timeout_seconds: '60' }, 'timeout_seconds must be a positive integer'],
  ])('rejects %j with 422', async (body, detail) => {
    expectProblem(await call('v2', 'POST', '/api/v2/tasks', body), 422, detail);
  });

  it.each(['99', 'abc'])('answers 404 for task %s', async (id) => {
    expectProblem(await call('v2', 'GET', `/api/v2/tasks/${id}`), 404, `task ${id} not found`);
  });
});

describe('v2 reset and unknown routes', () => {
  it('POST /__reset restores the seed and the id counters', async () => {
    await call('v2', 'POST', '/api/v2/knowledge', { title: 'a', body: 'b' });
    await call('v2', 'DELETE', '/api/v2/knowledge/1');
    await call('v2', 'POST', '/api/v2/tasks', { name: 'extra' });

    expect((await call('v2', 'POST', '/__reset')).status).toBe(204);

    const list = await call<{ data: KnowledgeV2[] }>('v2', 'GET', '/api/v2/knowledge');
    expect(ids(list.body.data)).toEqual(['1', '2', '3', '4', '5']);
    expect((await call('v2', 'GET', '/api/v2/knowledge/2/related')).body).toEqual({ data: [{ id: '1' }] });
    expectProblem(await call('v2', 'GET', '/api/v2/tasks/4'), 404, 'task 4 not found');
    expect((await call<KnowledgeV2>('v2', 'POST', '/api/v2/knowledge', { title: 'a', body: 'b' })).body.id).toBe('6');
    expect((await call<TaskV2>('v2', 'POST', '/api/v2/tasks', { name: 'n' })).body.id).toBe('4');
  });

  it('reset() on a service restores its seed without HTTP', async () => {
    const service = createV2Service();
    const add = () => service.app.request('/api/v2/tasks', { method: 'POST', body: JSON.stringify({ name: 't' }) });
    expect(((await (await add()).json()) as TaskV2).id).toBe('4');
    service.reset();
    expect(((await (await add()).json()) as TaskV2).id).toBe('4');
  });

  it.each([
    ['POST', '/execute'],
    ['PUT', '/api/v2/knowledge/1'],
    ['GET', '/api/v1/knowledge'],
  ])('answers a 404 problem for %s %s', async (method, path) => {
    const reply = await send('v2', method, path);
    expectProblem(reply, 404, `no route for ${method} ${path}`);
    expect(apis.v2.contract.checkComponent('NotFoundProblem', reply.body)).toEqual([]);
  });
});

describe('the two seeds', () => {
  const V2_STATUS = { pending: 'PENDING', running: 'RUNNING', done: 'COMPLETED' } as const;
  const scalePriority = (v1Priority: number) => Math.floor(1 + ((v1Priority - 1) * 9) / 4 + 0.5);

  it('hold the same knowledge, translated field by field', async () => {
    const v1Items = (await call<Knowledge[]>('v1', 'GET', '/api/v1/knowledge')).body;
    const v2Items = (await call<{ data: KnowledgeV2[] }>('v2', 'GET', '/api/v2/knowledge')).body.data;
    expect(v2Items).toHaveLength(v1Items.length);

    for (const [index, v1] of v1Items.entries()) {
      expect(v2Items[index]).toEqual({
        id: String(v1.id),
        title: v1.title,
        body: v1.content,
        knowledge_type: v1.type,
        metadata: { tags: v1.tags },
        created_at: v1.created_at,
        updated_at: v1.updated_at,
      });
      const v1Related = (await call<KnowledgeDetail>('v1', 'GET', `/api/v1/knowledge/${v1.id}`)).body.related_ids;
      const v2Related = (await call<{ data: { id: string }[] }>('v2', 'GET', `/api/v2/knowledge/${v1.id}/related`)).body.data;
      expect(v2Related).toEqual(v1Related.map((id) => ({ id: String(id) })));
    }
  });

  it.each([1, 2, 3])('hold task %i, with priority scaled and status renamed', async (id) => {
    const v1 = (await call<Task>('v1', 'GET', `/tasks/${id}`)).body;
    const v2 = (await call<TaskV2>('v2', 'GET', `/api/v2/tasks/${id}`)).body;
    expect(v2).toEqual({
      id: String(id),
      name: v1.name,
      priority: scalePriority(v1.priority),
      status: V2_STATUS[v1.status],
      timeout_seconds: v1.metadata.timeout_seconds,
      created_at: v1.created_at,
    });
  });

  it('scale priorities 1, 3, 5 to 1, 6, 10', () => {
    expect([1, 3, 5].map(scalePriority)).toEqual([1, 6, 10]);
  });
});

describe('the OpenAPI documents', () => {
  it.each(['v1', 'v2'] as const)('%s: every operation has an operationId and a description', (api) => {
    const operations = Object.values(apis[api].contract.document.paths).flatMap((pathItem) =>
      Object.entries(pathItem)
        .filter(([key]) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))
        .map(([, operation]) => operation as { operationId?: string; description?: string }),
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.description).toBeTruthy();
    }
    const operationIds = operations.map((operation) => operation.operationId);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it.each(['v1', 'v2'] as const)('%s: rejects bodies that drift from the documented shapes', (api) => {
    const contract = apis[api].contract;
    const timestamps = { created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
    const item =
      api === 'v1'
        ? { id: 1, title: 't', content: 'c', type: 'note', tags: [], ...timestamps }
        : { id: '1', title: 't', body: 'b', knowledge_type: 'note', metadata: { tags: [] }, ...timestamps };
    expect(contract.checkComponent('Knowledge', item)).toEqual([]);
    expect(contract.checkComponent('Knowledge', { ...item, extra: 1 })).not.toEqual([]);
    expect(contract.checkComponent('Knowledge', { ...item, id: api === 'v1' ? '1' : 1 })).not.toEqual([]);
    expect(contract.checkComponent('Knowledge', { ...item, created_at: 'yesterday' })).not.toEqual([]);
  });

  // Runs last: by now every test above has sent its exchanges through the contract checker.
  it.each(['v1', 'v2'] as const)('%s: every documented response was produced by the tests above', (api) => {
    expect(apis[api].contract.unexercisedResponses()).toEqual([]);
  });
});
