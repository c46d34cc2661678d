import type { KnowledgeItemV2, KnowledgeListV2 } from './payloads.js';

/*
 * list-knowledge's v2 -> v1 response translation written by hand, the way a team would write it
 * without a mapping: the Node peer of the benchmark (@fastify/http-proxy) runs it, and the
 * transform benchmark holds the compiled mapping against it. It does what the mapping's steps
 * do: X-Total-Count from meta.total, the { data } envelope unwrapped, and per item the id as an
 * integer (refused unless it is decimal digits), body -> content, knowledge_type -> type and
 * metadata.tags -> tags.
 */

export interface KnowledgeItemV1 {
  id: number;
  title: string;
  content: string;
  type: string;
  tags: string[];
  created_at: string;
  updated_at: string;
}

export interface TranslatedList {
  totalCount: string;
  items: KnowledgeItemV1[];
}

const DECIMAL_ID = /^-?\d+$/;

export function knowledgeItemToV1(item: KnowledgeItemV2): KnowledgeItemV1 {
  if (!DECIMAL_ID.test(item.id)) throw new Error(`knowledge id ${JSON.stringify(item.id)} is not an integer`);
  return {
    id: Number(item.id),
    title: item.title,
    content: item.body,
    type: item.knowledge_type,
    tags: item.metadata.tags,
    created_at: item.created_at,
    updated_at: item.updated_at,
  };
}

export function knowledgeListToV1(list: KnowledgeListV2): TranslatedList {
  return { totalCount: String(list.meta.total), items: list.data.map(knowledgeItemToV1) };
}
