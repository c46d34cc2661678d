import { Hono } from 'hono';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { V1_KNOWLEDGE_SEED, V1_TASK_SEED } from './seed.js';

/*
 * The legacy v1 knowledge service of the bundled example migration: integer ids, `content`/`type`/
 * `tags`, page/limit pagination with an X-Total-Count header, and `{ error: { code, message } }`
 * errors. Everything lives in memory and POST /__reset restores the seed.
 */

export type KnowledgeType = 'note' | 'article' | 'snippet';

export interface Knowledge {
  id: number;
  title: string;
  content: string;
  type: KnowledgeType;
  tags: string[];
  created_at: string;
  updated_at: string;
}

export interface KnowledgeDetail extends Knowledge {
  related_ids: number[];
}

export type TaskStatus = 'pending' | 'running' | 'done';

export interface Task {
  id: number;
  name: string;
  priority: number;
  status: TaskStatus;
  metadata: { timeout_seconds: number };
  created_at: string;
}

export interface V1Service {
  app: Hono;
  reset(): void;
}

const KNOWLEDGE_TYPES: readonly KnowledgeType[] = ['note', 'article', 'snippet'];
const MAX_PAGE_SIZE = 100;

type JsonObject = Record<string, unknown>;
type KnowledgeChanges = Partial<Pick<Knowledge, 'title' | 'content' | 'type' | 'tags'>>;

/** A failure reported to the caller in the v1 error shape. */
class ApiError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: 'validation_error' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

const validationError = (message: string) => new ApiError(400, 'validation_error', message);
const notFoundError = (message: string) => new ApiError(404, 'not_found', message);

class V1Store {
  // Maps iterate in insertion order and ids only grow, so iteration order is id order.
  knowledge = new Map<number, KnowledgeDetail>();
  tasks = new Map<number, Task>();
  private nextKnowledgeId = 0;
  private nextTaskId = 0;

  reset(): void {
    this.knowledge = new Map(V1_KNOWLEDGE_SEED.map((record) => [record.id, structuredClone(record)]));
    this.tasks = new Map(V1_TASK_SEED.map((task) => [task.id, structuredClone(task)]));
    this.nextKnowledgeId = Math.max(...this.knowledge.keys()) + 1;
    this.nextTaskId = Math.max(...this.tasks.keys()) + 1;
  }

  getKnowledge(idText: string): KnowledgeDetail {
    const id = parseId(idText);
    const record = id === undefined ? undefined : this.knowledge.get(id);
    if (!record) throw notFoundError(`knowledge ${idText} not found`);
    return record;
  }

  addKnowledge(fields: Pick<Knowledge, 'title' | 'content' | 'type' | 'tags'>): KnowledgeDetail {
    const now = new Date().toISOString();
    const record: KnowledgeDetail = {
      id: this.nextKnowledgeId++,
      ...fields,
      created_at: now,
      updated_at: now,
      related_ids: [],
    };
    this.knowledge.set(record.id, record);
    return record;
  }

  deleteKnowledge(record: KnowledgeDetail): void {
    this.knowledge.delete(record.id);
    for (const other of this.knowledge.values()) {
      other.related_ids = other.related_ids.filter((id) => id !== record.id);
    }
  }

  getTask(idText: string): Task {
    const id = parseId(idText);
    const task = id === undefined ? undefined : this.tasks.get(id);
    if (!task) throw notFoundError(`task ${idText} not found`);
    return task;
  }

  addTask(fields: Pick<Task, 'name' | 'priority' | 'metadata'>): Task {
    const task: Task = {
      id: this.nextTaskId++,
      name: fields.name,
      priority: fields.priority,
      status: 'pending',
      metadata: fields.metadata,
      created_at: new Date().toISOString(),
    };
    this.tasks.set(task.id, task);
    return task;
  }
}

export function createV1Service(): V1Service {
  const store = new V1Store();
  store.reset();

  const app = new Hono();
  app.post('/__reset', (c) => {
    store.reset();
    return c.body(null, 204);
  });
  registerKnowledgeRoutes(app, store);
  registerSearchRoute(app, store);
  registerTaskRoutes(app, store);

  app.notFound((c) => sendError(c, notFoundError(`no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ApiError) return sendError(c, error);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return c.text('Internal Server Error', 500);
  });

  return { app, reset: () => store.reset() };
}

function registerKnowledgeRoutes(app: Hono, store: V1Store): void {
  app.get('/api/v1/knowledge', (c) => {
    const page = readQueryInteger(c, 'page', { fallback: 1, min: 1, max: Infinity }, 'page must be an integer >= 1');
    const limit = readLimit(c, 20);
    const all = [...store.knowledge.values()];
    const pageItems = all.slice((page - 1) * limit, page * limit).map(toKnowledge);
    c.header('X-Total-Count', String(all.length));
    return c.json(pageItems, 200);
  });

  app.get('/api/v1/knowledge/:id', (c) => c.json(toKnowledgeDetail(store.getKnowledge(c.req.param('id'))), 200));

  app.put('/api/v1/knowledge/:id', async (c) => {
    const record = store.getKnowledge(c.req.param('id'));
    applyKnowledgeChanges(record, parseKnowledgeChanges(await readJsonObject(c)));
    return c.json(toKnowledge(record), 200);
  });

  app.delete('/api/v1/knowledge/:id', (c) => {
    store.deleteKnowledge(store.getKnowledge(c.req.param('id')));
    return c.body(null, 204);
  });

  app.post('/api/v1/knowledge/add', async (c) => {
    const record = store.addKnowledge(parseNewKnowledge(await readJsonObject(c)));
    c.header('Location', `/api/v1/knowledge/${record.id}`);
    return c.json(toKnowledge(record), 201);
  });
}

function registerSearchRoute(app: Hono, store: V1Store): void {
  app.get('/api/v1/search', (c) => {
    const query = c.req.query('q');
    if (!query) throw validationError('q is required');
    const type = c.req.query('type') || undefined;
    const limit = readLimit(c, 10);

    const needle = query.toLowerCase();
    const matches = [...store.knowledge.values()].filter(
      (record) =>
        (record.title.toLowerCase().includes(needle) || record.content.toLowerCase().includes(needle)) &&
        (type === undefined || record.type === type),
    );
    return c.json({ results: matches.slice(0, limit).map(toKnowledge), count: matches.length }, 200);
  });
}

function registerTaskRoutes(app: Hono, store: V1Store): void {
  app.post('/tasks', async (c) => c.json(store.addTask(parseNewTask(await readJsonObject(c))), 201));

  app.get('/tasks/:id', (c) => c.json(store.getTask(c.req.param('id')), 200));

  app.post('/execute', async (c) => {
    const body = await readJsonObject(c);
    if (body.task_id === undefined) throw validationError('task_id is required');
    if (!Number.isInteger(body.task_id)) throw validationError('task_id must be an integer');
    const task = store.getTask(String(body.task_id));
    task.status = 'running';
    return c.json({ task_id: task.id, status: 'running' }, 202);
  });
}

function parseNewKnowledge(body: JsonObject): Pick<Knowledge, 'title' | 'content' | 'type' | 'tags'> {
  const title = readString(body, 'title');
  if (title === undefined) throw validationError('title is required');
  const content = readString(body, 'content');
  if (content === undefined) throw validationError('content is required');
  return { title, content, type: readKnowledgeType(body) ?? 'note', tags: readTags(body) ?? [] };
}

function parseKnowledgeChanges(body: JsonObject): KnowledgeChanges {
  return {
    title: readString(body, 'title'),
    content: readString(body, 'content'),
    type: readKnowledgeType(body),
    tags: readTags(body),
  };
}

function applyKnowledgeChanges(record: KnowledgeDetail, changes: KnowledgeChanges): void {
  if (changes.title !== undefined) record.title = changes.title;
  if (changes.content !== undefined) record.content = changes.content;
  if (changes.type !== undefined) record.type = changes.type;
  if (changes.tags !== undefined) record.tags = changes.tags;
  record.updated_at = new Date().toISOString();
}

function parseNewTask(body: JsonObject): Pick<Task, 'name' | 'priority' | 'metadata'> {
  const name = readString(body, 'name');
  if (name === undefined) throw validationError('name is required');

  const priority = body.priority === undefined ? 3 : body.priority;
  if (!isIntegerBetween(priority, 1, 5)) throw validationError('priority must be an integer between 1 and 5');

  const metadata = body.metadata === undefined ? {} : body.metadata;
  if (!isJsonObject(metadata)) throw validationError('metadata must be an object');
  const timeoutSeconds = metadata.timeout_seconds === undefined ? 60 : metadata.timeout_seconds;
  if (!isIntegerBetween(timeoutSeconds, 1, Infinity)) {
    throw validationError('metadata.timeout_seconds must be a positive integer');
  }
  return { name, priority, metadata: { timeout_seconds: timeoutSeconds } };
}

function readString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value !== undefined && typeof value !== 'string') throw validationError(`${field} must be a string`);
  return value;
}

function readKnowledgeType(body: JsonObject): KnowledgeType | undefined {
  const value = body.type;
  if (value === undefined) return undefined;
  if (!KNOWLEDGE_TYPES.includes(value as KnowledgeType)) {
    throw validationError(`type must be one of ${KNOWLEDGE_TYPES.join(', ')}`);
  }
  return value as KnowledgeType;
}

function readTags(body: JsonObject): string[] | undefined {
  const value = body.tags;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) {
    throw validationError('tags must be an array of strings');
  }
  return value as string[];
}

function readLimit(c: Context, fallback: number): number {
  return readQueryInteger(
    c,
    'limit',
    { fallback, min: 1, max: MAX_PAGE_SIZE },
    `limit must be an integer between 1 and ${MAX_PAGE_SIZE}`,
  );
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
  if (!(value >= bounds.min && value <= bounds.max)) throw validationError(message);
  return value;
}

async function readJsonObject(c: Context): Promise<JsonObject> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw validationError('request body must be valid JSON');
  }
  if (!isJsonObject(body)) throw validationError('request body must be a JSON object');
  return body;
}

/** Only canonical decimal ids name a record: "01" and "1.0" do not. */
function parseId(text: string): number | undefined {
  return /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** Builds the public shape field by field so the key order is fixed and related_ids stays out. */
function toKnowledge(record: KnowledgeDetail): Knowledge {
  return {
    id: record.id,
    title: record.title,
    content: record.content,
    type: record.type,
    tags: [...record.tags],
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

function toKnowledgeDetail(record: KnowledgeDetail): KnowledgeDetail {
  return { ...toKnowledge(record), related_ids: [...record.related_ids] };
}

function sendError(c: Context, error: ApiError): Response {
  return c.json({ error: { code: error.code, message: error.message } }, error.status);
}
