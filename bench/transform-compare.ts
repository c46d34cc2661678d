import { deepStrictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import jsonata from 'jsonata';
import type { CompiledEndpoint, CompiledTable } from '../src/core/mapping/compiled.js';
import { emptyMessage, type HttpMessage } from '../src/core/model/http-message.js';
import { translateResponse } from '../src/core/pipeline/response.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { knowledgeListToV1 } from './knowledge-by-hand.js';
import type { TargetCheck } from './report.js';
import { knowledgeList, PAYLOAD_SIZES, type KnowledgeListV2, type PayloadSize } from './payloads.js';
import { median, ratio } from './statistics.js';

/*
 * The example mapping's list-knowledge response translation (header from meta.total, envelope
 * unwrapped, Knowledge resource rules on every item), three ways: the compiled mapping, the same
 * translation written by hand, and the same in JSONata. Each round gives every implementation
 * freshly parsed messages (parsing is not timed: the gateway parses once whichever transform
 * runs) and times only the translations; implementations alternate, medians are reported.
 */

const EXAMPLE_MAPPING = fileURLToPath(new URL('../mappings/knowledge.yaml', import.meta.url));
/**
 * Messages are parsed in batches of about this much JSON and translated right after, as the
 * gateway does: small enough that the parsed objects are still young (in V8's nursery and in
 * cache) when translated, as they are in the gateway, and that memory stays bounded.
 */
const BATCH_BYTES = 512 * 1024;

export const COMPILED = 'compiled mapping';
export const HAND_WRITTEN = 'hand-written';
export const JSONATA = 'JSONata';

export const JSONATA_EXPRESSION = `{
  "status": status,
  "headers": $merge([headers, { "x-total-count": $string(body.meta.total) }]),
  "body": [body.data.{
    "id": $number(id),
    "title": title,
    "content": body,
    "type": knowledge_type,
    "tags": metadata.tags[],
    "created_at": created_at,
    "updated_at": updated_at
  }]
}`;

type Translate = (message: HttpMessage) => HttpMessage | Promise<HttpMessage>;

interface Implementation {
  name: string;
  translate: Translate;
}

export interface TransformSizeResult {
  size: PayloadSize;
  bodyBytes: number;
  items: number;
  opsPerSecond: Record<string, number>;
  /** Time per translation over the hand-written one's (from the medians). */
  timeRatioToHandWritten: Record<string, number>;
  /** How many times faster the compiled mapping is than JSONata. */
  compiledSpeedupOverJsonata: number;
}

export interface TransformComparison {
  rounds: number;
  millisPerSample: number;
  results: TransformSizeResult[];
}

export async function compareTransforms(options: { rounds: number; millisPerSample: number }): Promise<TransformComparison> {
  const { table, endpoint } = await exampleListEndpoint();
  const expression = jsonata(JSONATA_EXPRESSION);
  const implementations: Implementation[] = [
    { name: COMPILED, translate: (message) => translateResponse(table, endpoint, message) },
    {
      name: HAND_WRITTEN,
      translate: (message) => {
        const { totalCount, items } = knowledgeListToV1(message.body as KnowledgeListV2);
        message.headers['x-total-count'] = totalCount;
        message.body = items;
        return message;
      },
    },
    { name: JSONATA, translate: (message) => expression.evaluate(message) as Promise<HttpMessage> },
  ];

  const results: TransformSizeResult[] = [];
  for (const size of PAYLOAD_SIZES) {
    const bodyText = JSON.stringify(knowledgeList(size));
    const freshMessage = () => emptyMessage({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.parse(bodyText) });
    await checkAllAgree(implementations, freshMessage);
    const samples = new Map(implementations.map((implementation) => [implementation.name, [] as number[]]));
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so no implementation always runs right after another's garbage.
      for (let i = 0; i < implementations.length; i++) {
        const implementation = implementations[(round + i) % implementations.length]!;
        samples.get(implementation.name)!.push(await opsPerSecond(implementation.translate, freshMessage, bodyText.length, options.millisPerSample));
      }
    }
    const opsPerSecondMedian = Object.fromEntries([...samples].map(([name, values]) => [name, median(values)]));
    results.push({
      size,
      bodyBytes: Buffer.byteLength(bodyText),
      items: (JSON.parse(bodyText) as KnowledgeListV2).data.length,
      opsPerSecond: opsPerSecondMedian,
      timeRatioToHandWritten: Object.fromEntries(Object.entries(opsPerSecondMedian).map(([name, ops]) => [name, ratio(opsPerSecondMedian[HAND_WRITTEN], ops)])),
      compiledSpeedupOverJsonata: ratio(opsPerSecondMedian[COMPILED], opsPerSecondMedian[JSONATA]),
    });
  }
  return { ...options, results };
}

async function exampleListEndpoint(): Promise<{ table: CompiledTable; endpoint: CompiledEndpoint }> {
  const { table } = await loadMappingFile(EXAMPLE_MAPPING, { env: { V2_URL: 'http://127.0.0.1:9', V1_URL: '' } });
  const endpoint = table.endpoints.find((candidate) => candidate.id === 'list-knowledge');
  if (!endpoint) throw new Error(`${EXAMPLE_MAPPING} has no list-knowledge endpoint`);
  return { table, endpoint };
}

/** A benchmark of implementations that disagree measures nothing: insist they agree first. */
async function checkAllAgree(implementations: Implementation[], freshMessage: () => HttpMessage): Promise<void> {
  // Compared as a client sees it, as JSON (JSONata's results carry null prototypes and array flags).
  const clientView = (message: HttpMessage): unknown =>
    JSON.parse(JSON.stringify({ status: message.status, totalCount: message.headers['x-total-count'], body: message.body }));
  const expected = clientView(await implementations[0]!.translate(freshMessage()));
  for (const implementation of implementations.slice(1)) {
    deepStrictEqual(clientView(await implementation.translate(freshMessage())), expected, `${implementation.name} disagrees with ${implementations[0]!.name}`);
  }
}

/** Translations per second over about `millis` of translating (parsing excluded). */
async function opsPerSecond(translate: Translate, freshMessage: () => HttpMessage, bodyBytes: number, millis: number): Promise<number> {
  const batchSize = Math.max(8, Math.floor(BATCH_BYTES / bodyBytes));
  let translated = 0;
  let nanos = 0n;
  while (nanos < BigInt(millis) * 1_000_000n) {
    const messages = Array.from({ length: batchSize }, freshMessage);
    const started = process.hrtime.bigint();
    for (const message of messages) await translate(message);
    nanos += process.hrtime.bigint() - started;
    translated += batchSize;
  }
  return translated / (Number(nanos) / 1e9);
}

export function transformTable(comparison: TransformComparison): string {
  const lines = ['| body | implementation | translations/s | time vs hand-written |', '|---|---|--:|--:|'];
  for (const result of comparison.results) {
    const label = `${result.size} (${result.items} items, ${(result.bodyBytes / 1024).toFixed(1)} KiB)`;
    for (const [name, ops] of Object.entries(result.opsPerSecond)) {
      lines.push(`| ${label} | ${name} | ${Math.round(ops).toLocaleString('en-US')} | ${result.timeRatioToHandWritten[name]!.toFixed(2)}x |`);
    }
  }
  return lines.join('\n');
}

export function transformTargetChecks(comparison: TransformComparison): TargetCheck[] {
  return comparison.results.flatMap((result) => {
    const compiled = result.timeRatioToHandWritten[COMPILED]!;
    return [
      { target: `compiled transform time <= 1.5x hand-written (${result.size})`, measured: `${compiled.toFixed(2)}x`, holds: compiled <= 1.5 },
      { target: `compiled transform >= 20x faster than JSONata (${result.size})`, measured: `${result.compiledSpeedupOverJsonata.toFixed(1)}x`, holds: result.compiledSpeedupOverJsonata >= 20 },
    ];
  });
}
