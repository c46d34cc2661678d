import { Hono } from 'hono';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { V2_KNOWLEDGE_SEED, V2_TASK_SEED } from './seed.js';

/*
 * The v2 knowledge service of the bundled example migration: string ids, `body`/`knowledge_type`/
 * `metadata.tags`, JSON:API-style page[number]/page[size] pagination inside a `{ data, meta }`
 * envelope, related ids on their own endpoint, search as a POST, and RFC 9457 problem details for
 * errors. Everything lives in memory and POST /__reset restores the seed.
 */

export type KnowledgeType = 'note' | 'article' | 'snippet';

export interface KnowledgeV2 {
  id: string;
  title: string;
  body: string;
  knowledge_type: KnowledgeType;
  metadata: { tags: string[] };
  created_at: string;
  updated_at: string;
}

/** What the store keeps per item: the public record plus the ids GET .../related serves. */
export interface StoredKnowledgeV2 {
  item: KnowledgeV2;
  relatedIds: string[];
}

export type TaskStatusV2 = 'PENDING' | 'RUNNING' | 'COMPLETED';

export interface TaskV2 {
  id: string;
  name: string;
  priority: number;
  status: TaskStatusV2;
  timeout_seconds: number;
  created_at: string;
}

export interface V2Service {
  app: Hono;
  reset(): void;
}

const KNOWLEDGE_TYPES: readonly KnowledgeType[] = ['note', 'article', 'snippet'];
const MAX_PAGE_SIZE = 100;
const PROBLEM_TYPE_BASE = 'https://api.example.com/problems/';
const PROBLEM_KINDS = {
  'not-found': { title: 'Not Found', status: 404 },
  'validation-error': { title: 'Unprocessable Content', status: 422 },
} as const;

type JsonObject = Record<string, unknown>;
type NewKnowledge = Pick<KnowledgeV2, 'title' | 'body' | 'knowledge_type'> & { tags: string[] };
type KnowledgeChanges = Partial<NewKnowledge>;

/** A failure reported to the caller as an RFC 9457 problem document. */
class Problem extends Error {
  constructor(
    readonly kind: keyof typeof PROBLEM_KINDS,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const validationProblem = (detail: string) => new Problem('validation-error', detail);
const notFoundProblem = (detail: string) => new Problem('not-found', detail);

class V2Store {
  // Maps iterate in insertion order and ids only grow, so iteration order is id order.
  knowledge = new Map<string, StoredKnowledgeV2>();
  tasks = new Map<string, TaskV2>();
  private nextKnowledgeId = 0;
  private nextTaskId = 0;

  reset(): void {
    this.knowledge = new Map(V2_KNOWLEDGE_SEED.map((stored) => [stored.item.id, structuredClone(stored)]));
    this.tasks = new Map(V2_TASK_SEED.map((task) => [task.id, structuredClone(task)]));
    this.nextKnowledgeId = Math.max(...[...this.knowledge.keys()].map(Number)) + 1;
    this.nextTaskId = Math.max(...[...this.tasks.keys()].map(Number)) + 1;
  }

  items(): KnowledgeV2[] {
    return [...this.knowledge.values()].map((stored) => stored.item);
  }

  getKnowledge(id: string): StoredKnowledgeV2 {
    const stored = this.knowledge.get(id);
    if (!stored) throw notFoundProblem(`knowledge ${id} not found`);
    return stored;
  }

  addKnowledge(fields: NewKnowledge): KnowledgeV2 {
    const now = new Date().toISOString();
    const item: KnowledgeV2 = {
      id: String(this.nextKnowledgeId++),
      title: fields.title,
      body: fields.body,
      knowledge_type: fields.knowledge_type,
      metadata: { tags: fields.tags },
      created_at: now,
      updated_at: now,
    };
    this.knowledge.set(item.id, { item, relatedIds: [] });
    return item;
  }

  deleteKnowledge(id: string): void {
    this.knowledge.delete(id);
    for (const other of this.knowledge.values()) {
      other.relatedIds = other.relatedIds.filter((relatedId) => relatedId !== id);
    }
  }

  getTask(id: string): TaskV2 {
    const task = this.tasks.get(id);
    if (!task) throw notFoundProblem(`task ${id} not found`);
    return task;
  }

  addTask(fields: Pick<TaskV2, 'name' | 'priority' | 'timeout_seconds'>): TaskV2 {
    const task: TaskV2 = {
      id: String(this.nextTaskId++),
      name: fields.name,
      priority: fields.priority,
      status: 'PENDING',
      timeout_seconds: fields.timeout_seconds,
      created_at: new Date().toISOString(),
    };
    this.tasks.set(task.id, task);
    return task;
  }
}

export function createV2Service(): V2Service {
  const store = new V2Store();
  store.reset();

  const app = new Hono();
  app.post('/__reset', (c) => {
    store.reset();
    return c.body(null, 204);
  });
  registerKnowledgeRoutes(app, store);
  registerSearchRoute(app, store);
  registerTaskRoutes(app, store);

  app.notFound((c) => sendProblem(c, notFoundProblem(`no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof Problem) return sendProblem(c, error);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return c.text('Internal Server Error', 500);
  });

  return { app, reset: () => store.reset() };
}

function registerKnowledgeRoutes(app: Hono, store: V2Store): void {
  app.get('/api/v2/knowledge', (c) => {
    const pageNumber = readQueryInteger(
      c,
      'page[number]',
      { fallback: 1, min: 1, max: Infinity },
      'page[number] must be an integer >= 1',
    );
    const pageSize = readQueryInteger(
      c,
      'page[size]',
      { fallback: 20, min: 1, max: MAX_PAGE_SIZE },
      `page[size] must be an integer between 1 and ${MAX_PAGE_SIZE}`,
    );
    const items = store.items();
    const data = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(toKnowledge);
    return c.json({ data, meta: { total: items.length } }, 200);
  });

  app.post('/api/v2/knowledge', async (c) => {
    const item = store.addKnowledge(parseNewKnowledge(await readJsonObject(c)));
    return c.json(toKnowledge(item), 200);
  });

  app.get('/api/v2/knowledge/:id', (c) => c.json(toKnowledge(store.getKnowledge(c.req.param('id')).item), 200));

  app.get('/api/v2/knowledge/:id/related', (c) => {
    const { relatedIds } = store.getKnowledge(c.req.param('id'));
    return c.json({ data: relatedIds.map((id) => ({ id })) }, 200);
  });

  app.patch('/api/v2/knowledge/:id', async (c) => {
    const { item } = store.getKnowledge(c.req.param('id'));
    applyKnowledgeChanges(item, parseKnowledgeChanges(await readJsonObject(c)));
    return c.json(toKnowledge(item), 200);
  });

  app.delete('/api/v2/knowledge/:id', (c) => {
    const { item } = store.getKnowledge(c.req.param('id'));
    store.deleteKnowledge(item.id);
    return c.json({ id: item.id, deleted: true }, 200);
  });
}

function registerSearchRoute(app: Hono, store: V2Store): void {
  app.post('/api/v2/query/advanced-search', async (c) => {
    const search = parseAdvancedSearch(await readJsonObject(c));
    const needle = search.query.toLowerCase();
    const hits = store
      .items()
      .filter((item) => search.knowledgeType === undefined || item.knowledge_type === search.knowledgeType)
      .map((item) => ({ item, score: countOccurrences(item.title, needle) + countOccurrences(item.body, needle) }))
      // Every occurrence is a substring match, so a positive score is exactly "query in title or body".
      .filter((hit) => hit.score > 0)
      .map((hit) => ({ item: toKnowledge(hit.item), score: hit.score }));
    return c.json({ hits: hits.slice(0, search.limit), total: hits.length }, 200);
  });
}

function registerTaskRoutes(app: Hono, store: V2Store): void {
  app.post('/api/v2/tasks', async (c) => c.json(store.addTask(parseNewTask(await readJsonObject(c))), 202));
  app.get('/api/v2/tasks/:id', (c) => c.json(store.getTask(c.req.param('id')), 200));
}

function parseNewKnowledge(payload: JsonObject): NewKnowledge {
  const title = readString(payload, 'title');
  if (title === undefined) throw validationProblem('title is required');
  const body = readString(payload, 'body');
  if (body === undefined) throw validationProblem('body is required');
  return {
    title,
    body,
    knowledge_type: readKnowledgeType(payload) ?? 'note',
    tags: readMetadataTags(payload) ?? [],
  };
}

function parseKnowledgeChanges(payload: JsonObject): KnowledgeChanges {
  return {
    title: readString(payload, 'title'),
    body: readString(payload, 'body'),
    knowledge_type: readKnowledgeType(payload),
    tags: readMetadataTags(payload),
  };
}

function applyKnowledgeChanges(item: KnowledgeV2, changes: KnowledgeChanges): void {
  if (changes.title !== undefined) item.title = changes.title;
  if (changes.body !== undefined) item.body = changes.body;
  if (changes.knowledge_type !== undefined) item.knowledge_type = changes.knowledge_type;
  if (changes.tags !== undefined) item.metadata.tags = changes.tags;
  item.updated_at = new Date().toISOString();
}

function parseAdvancedSearch(payload: JsonObject): { query: string; knowledgeType?: string; limit: number } {
  const query = readString(payload, 'query');
  if (!query) throw validationProblem('query is required');

  const filters = payload.filters === undefined ? {} : payload.filters;
  if (!isJsonObject(filters)) throw validationProblem('filters must be an object');
  const knowledgeType = readString(filters, 'knowledge_type', 'filters.knowledge_type');

  const limit = payload.limit === undefined ? 10 : payload.limit;
  if (!isIntegerBetween(limit, 1, MAX_PAGE_SIZE)) {
    throw validationProblem(`limit must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  return { query, knowledgeType, limit };
}

function parseNewTask(payload: JsonObject): Pick<TaskV2, 'name' | 'priority' | 'timeout_seconds'> {
  const name = readString(payload, 'name');
  if (name === undefined) throw validationProblem('name is required');

  const priority = payload.priority === undefined ? 5 : payload.priority;
  if (!isIntegerBetween(priority, 1, 10)) throw validationProblem('priority must be an integer between 1 and 10');

  const timeoutSeconds = payload.timeout_seconds === undefined ? 60 : payload.timeout_seconds;
  if (!isIntegerBetween(timeoutSeconds, 1, Infinity)) {
    throw validationProblem('timeout_seconds must be a positive integer');
  }
  return { name, priority, timeout_seconds: timeoutSeconds };
}

function readString(payload: JsonObject, field: string, label = field): string | undefined {
  const value = payload[field];
  if (value !== undefined && typeof value !== 'string') throw validationProblem(`${label} must be a string`);
  return value;
}

function readKnowledgeType(payload: JsonObject): KnowledgeType | undefined {
  const value = payload.knowledge_type;
  if (value === undefined) return undefined;
  if (!KNOWLEDGE_TYPES.includes(value as KnowledgeType)) {
    throw validationProblem(`knowledge_type must be one of ${KNOWLEDGE_TYPES.join(', ')}`);
  }
  return value as KnowledgeType;
}

function readMetadataTags(payload: JsonObject): string[] | undefined {
  const metadata = payload.metadata;
  if (metadata === undefined) return undefined;
  if (!isJsonObject(metadata)) throw validationProblem('metadata must be an object');
  const tags = metadata.tags;
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw validationProblem('metadata.tags must be an array of strings');
  }
  return tags as string[];
}

function readQueryInteger(
  c: Context,
  name: string,
  bounds: { fallback: number; min: number; max: number },
  message: string,
): number {
  const text = c.req.query(name);
  if (text === undefined) return bounds.fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= bounds.min && value <= bounds.max)) throw validationProblem(message);
  return value;
}

async function readJsonObject(c: Context): Promise<JsonObject> {
  let payload: unknown;
  try {
    payload = JSON.parse(await c.req.text());
  } catch {
    throw validationProblem('request body must be valid JSON');
  }
  if (!isJsonObject(payload)) throw validationProblem('request body must be a JSON object');
  return payload;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** Case-insensitive, non-overlapping; `needle` must already be lower case. */
function countOccurrences(text: string, needle: string): number {
  return text.toLowerCase().split(needle).length - 1;
}

/** Builds the public shape field by field so the key order is fixed and no store state leaks. */
function toKnowledge(item: KnowledgeV2): KnowledgeV2 {
  return {
    id: item.id,
    title: item.title,
    body: item.body,
    knowledge_type: item.knowledge_type,
    metadata: { tags: [...item.metadata.tags] },
    created_at: item.created_at,
    updated_at: item.updated_at,
  };
}

function sendProblem(c: Context, problem: Problem): Response {
  const { title, status } = PROBLEM_KINDS[problem.kind];
  const document = { type: `${PROBLEM_TYPE_BASE}${problem.kind}`, title, status, detail: problem.detail };
  return c.body(JSON.stringify(document), status, { 'content-type': 'application/problem+json' });
}
