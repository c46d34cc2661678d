import type { KnowledgeDetail, Task } from './v1-service.js';
import type { StoredKnowledgeV2, TaskV2 } from './v2-service.js';

/*
 * The data both example services start from, and return to on POST /__reset. Each service's seed
 * is written out in its own shape so it can be read on its own; the v2 seed is the v1 seed
 * translated field by field:
 *   id 1 -> "1", content -> body, type -> knowledge_type, tags -> metadata.tags,
 *   related_ids -> the /related endpoint, task priority p -> round(1 + (p - 1) * 9 / 4),
 *   status pending/running/done -> PENDING/RUNNING/COMPLETED, metadata.timeout_seconds -> timeout_seconds.
 */

export const V1_KNOWLEDGE_SEED: readonly KnowledgeDetail[] = [
  {
    id: 1,
    title: 'Vector databases',
    content: 'Vector databases index embeddings for similarity search.',
    type: 'article',
    tags: ['vector', 'search'],
    created_at: '2026-01-01T09:00:00.000Z',
    updated_at: '2026-01-01T09:30:00.000Z',
    related_ids: [2, 3],
  },
  {
    id: 2,
    title: 'Embedding models',
    content: 'Embedding models turn text into vectors.',
    type: 'note',
    tags: ['vector', 'ml'],
    created_at: '2026-01-02T10:00:00.000Z',
    updated_at: '2026-01-02T10:45:00.000Z',
    related_ids: [1],
  },
  {
    id: 3,
    title: 'BM25 ranking',
    content: 'BM25 is a keyword ranking function for search.',
    type: 'article',
    tags: ['search'],
    created_at: '2026-01-03T11:00:00.000Z',
    updated_at: '2026-01-03T11:00:00.000Z',
    related_ids: [],
  },
  {
    id: 4,
    title: 'Retry with backoff',
    content: 'Retry idempotent requests with exponential backoff.',
    type: 'snippet',
    tags: ['http'],
    created_at: '2026-01-04T12:00:00.000Z',
    updated_at: '2026-01-05T08:15:00.000Z',
    related_ids: [5],
  },
  {
    id: 5,
    title: 'Circuit breakers',
    content: 'Circuit breakers stop calls to a failing dependency.',
    type: 'note',
    tags: ['http', 'resilience'],
    created_at: '2026-01-05T13:00:00.000Z',
    updated_at: '2026-01-06T14:20:00.000Z',
    related_ids: [4],
  },
];

export const V1_TASK_SEED: readonly Task[] = [
  {
    id: 1,
    name: 'reindex',
    priority: 1,
    status: 'pending',
    metadata: { timeout_seconds: 60 },
    created_at: '2026-01-10T08:00:00.000Z',
  },
  {
    id: 2,
    name: 'backup',
    priority: 3,
    status: 'running',
    metadata: { timeout_seconds: 300 },
    created_at: '2026-01-10T08:05:00.000Z',
  },
  {
    id: 3,
    name: 'compact',
    priority: 5,
    status: 'done',
    metadata: { timeout_seconds: 120 },
    created_at: '2026-01-10T08:10:00.000Z',
  },
];

export const V2_KNOWLEDGE_SEED: readonly StoredKnowledgeV2[] = [
  {
    item: {
      id: '1',
      title: 'Vector databases',
      body: 'Vector databases index embeddings for similarity search.',
      knowledge_type: 'article',
      metadata: { tags: ['vector', 'search'] },
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:30:00.000Z',
    },
    relatedIds: ['2', '3'],
  },
  {
    item: {
      id: '2',
      title: 'Embedding models',
      body: 'Embedding models turn text into vectors.',
      knowledge_type: 'note',
      metadata: { tags: ['vector', 'ml'] },
      created_at: '2026-01-02T10:00:00.000Z',
      updated_at: '2026-01-02T10:45:00.000Z',
    },
    relatedIds: ['1'],
  },
  {
    item: {
      id: '3',
      title: 'BM25 ranking',
      body: 'BM25 is a keyword ranking function for search.',
      knowledge_type: 'article',
      metadata: { tags: ['search'] },
      created_at: '2026-01-03T11:00:00.000Z',
      updated_at: '2026-01-03T11:00:00.000Z',
    },
    relatedIds: [],
  },
  {
    item: {
      id: '4',
      title: 'Retry with backoff',
      body: 'Retry idempotent requests with exponential backoff.',
      knowledge_type: 'snippet',
      metadata: { tags: ['http'] },
      created_at: '2026-01-04T12:00:00.000Z',
      updated_at: '2026-01-05T08:15:00.000Z',
    },
    relatedIds: ['5'],
  },
  {
    item: {
      id: '5',
      title: 'Circuit breakers',
      body: 'Circuit breakers stop calls to a failing dependency.',
      knowledge_type: 'note',
      metadata: { tags: ['http', 'resilience'] },
      created_at: '2026-01-05T13:00:00.000Z',
      updated_at: '2026-01-06T14:20:00.000Z',
    },
    relatedIds: ['4'],
  },
];

export const V2_TASK_SEED: readonly TaskV2[] = [
  {
    id: '1',
    name: 'reindex',
    priority: 1,
    status: 'PENDING',
    timeout_seconds: 60,
    created_at: '2026-01-10T08:00:00.000Z',
  },
  {
    id: '2',
    name: 'backup',
    priority: 6,
    status: 'RUNNING',
    timeout_seconds: 300,
    created_at: '2026-01-10T08:05:00.000Z',
  },
  {
    id: '3',
    name: 'compact',
    priority: 10,
    status: 'COMPLETED',
    timeout_seconds: 120,
    created_at: '2026-01-10T08:10:00.000Z',
  },
];
