/**
 * The response bodies the benchmarks send: v2 knowledge lists shaped exactly like the example v2
 * service's `GET /api/v2/knowledge` (`{ data, meta: { total } }`), so the translated endpoint does
 * the work it does in production (unwrap, per-item renames, a moved field, an id coercion and a
 * synthesised header). Generated deterministically: every run and every target sees the same bytes.
 */

export const PAYLOAD_SIZES = ['1kb', '100kb'] as const;
export type PayloadSize = (typeof PAYLOAD_SIZES)[number];

const TARGET_BYTES: Record<PayloadSize, number> = { '1kb': 1024, '100kb': 100 * 1024 };

const TYPES = ['article', 'note', 'snippet'] as const;
const TAGS = ['search', 'vector', 'http', 'resilience', 'ml', 'storage'];
const SENTENCE = 'Retry idempotent requests with exponential backoff and keep the connection pool warm. ';

export interface KnowledgeItemV2 {
  id: string;
  title: string;
  body: string;
  knowledge_type: (typeof TYPES)[number];
  metadata: { tags: string[] };
  created_at: string;
  updated_at: string;
}

export interface KnowledgeListV2 {
  data: KnowledgeItemV2[];
  meta: { total: number };
}

export function knowledgeItem(index: number, bodyLength = 48): KnowledgeItemV2 {
  const day = String((index % 28) + 1).padStart(2, '0');
  return {
    id: String(index + 1),
    title: `Knowledge item ${index + 1}`,
    body: SENTENCE.repeat(Math.ceil(bodyLength / SENTENCE.length)).slice(0, bodyLength),
    knowledge_type: TYPES[index % TYPES.length]!,
    metadata: { tags: [TAGS[index % TAGS.length]!, TAGS[(index + 2) % TAGS.length]!] },
    created_at: `2026-01-${day}T09:00:00.000Z`,
    updated_at: `2026-01-${day}T09:30:00.000Z`,
  };
}

/** A list page whose JSON text is as close to the payload size as whole items allow (never above). */
export function knowledgeList(size: PayloadSize): KnowledgeListV2 {
  const limit = TARGET_BYTES[size];
  const list: KnowledgeListV2 = { data: [], meta: { total: 0 } };
  for (let index = 0; ; index++) {
    list.data.push(knowledgeItem(index));
    list.meta.total = 1000 + list.data.length;
    if (Buffer.byteLength(JSON.stringify(list)) > limit) {
      list.data.pop();
      list.meta.total = 1000 + list.data.length;
      return list;
    }
  }
}

/** One item whose JSON text is about the payload size: the body text carries the bulk. */
export function knowledgeDetail(size: PayloadSize, id: string): KnowledgeItemV2 {
  const skeleton = Buffer.byteLength(JSON.stringify({ ...knowledgeItem(0, 0), id }));
  return { ...knowledgeItem(Number(id) - 1, Math.max(16, TARGET_BYTES[size] - skeleton)), id };
}
