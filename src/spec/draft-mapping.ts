import { editDistance } from '../core/spelling.js';
import { detectRenames } from './diff.js';
import { jsonMedia } from './exchange-check.js';
import { isRecord, operationName, type Schema, type SpecDocument, type SpecOperation } from './model.js';
import { isOpen } from './security.js';
import { alternatives, foldAllOf, joinPath, propertiesOf, typeSignature, typesOf } from './schema-shape.js';

/**
 * A first mapping from two documents, for a person to finish: operations paired by operationId,
 * then by path similarity; fields paired by name and type (renames proposed with a confidence
 * and a `# review` comment); v1 operations with no partner declared removed. Written as YAML
 * text so the comments survive; every value is JSON-quoted, which YAML reads as it is.
 */
export interface DraftPair {
  v1: SpecOperation;
  v2: SpecOperation;
  pairedBy: 'operationId' | 'path';
  confidence: number;
}

export interface Draft {
  pairs: DraftPair[];
  removed: SpecOperation[];
  text: string;
}

export function draftMapping(v1: SpecDocument, v2: SpecDocument): Draft {
  const pairs = pairForDraft(v1.operations, v2.operations);
  const paired = new Set(pairs.map((pair) => pair.v1));
  const removed = v1.operations.filter((operation) => !paired.has(operation));
  const ids = new Set<string>();
  const uniqueId = (operation: SpecOperation) => {
    const base = kebab(operation.operationId ?? `${operation.method} ${operation.path}`) || 'endpoint';
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const lines = [
    '# yaml-language-server: $schema=../schemas/mapping.schema.json',
    `# Draft mapping from ${v1.file} to ${v2.file}, written by api-compat init.`,
    '# Every line marked "review" is a guess: check it, then run api-compat diff --mapping and api-compat verify.',
    `name: ${q(`${v1.title || 'v1'} to ${v2.title || 'v2'}`)}`,
    'upstream: "${V2_URL:-http://127.0.0.1:8080}"',
    ...credentialLines(pairs),
    'endpoints:',
  ];
  for (const pair of pairs) lines.push(...endpointLines(uniqueId(pair.v1), pair));
  for (const operation of removed) {
    lines.push(`  - id: ${uniqueId(operation)}`);
    if (operation.summary) lines.push(`    description: ${q(operation.summary)}`);
    lines.push(`    v1: ${q(operationName(operation))}`, '    removed: { status: 410 }   # review: no v2 operation pairs with it; name a replacement if there is one');
  }
  return { pairs, removed, text: lines.join('\n') + '\n' };
}

/**
 * The gateway keeps a client's Authorization and Cookie from v2 unless the mapping says
 * otherwise. When v2 asks for credentials, the draft says so and leaves the decision to the
 * reader: whether v2 takes the v1 clients' own credentials is not in either document.
 */
function credentialLines(pairs: DraftPair[]): string[] {
  const secured = pairs.filter((pair) => !isOpen(pair.v2));
  if (secured.length === 0) return [];
  const schemes = [...new Set(secured.flatMap((pair) => pair.v2.security.flat().map((entry) => entry.split(':', 1)[0]!)))].sort();
  return [
    `# review: v2 asks for credentials (${schemes.join(', ')}) on ${secured.length} of the paired operations. The gateway sends a`,
    "# client's Authorization and Cookie to v2 only when the mapping says so; if v2 takes the v1 clients' own, uncomment:",
    '# upstreamHeaders: { allow: ["*", authorization] }',
  ];
}

function endpointLines(id: string, pair: DraftPair): string[] {
  const lines = [`  - id: ${id}`];
  if (pair.v1.summary) lines.push(`    description: ${q(pair.v1.summary)}`);
  const review = pair.pairedBy === 'path' ? `   # review: paired by path similarity (confidence ${pair.confidence.toFixed(2)})` : '';
  lines.push(`    v1: ${q(operationName(pair.v1))}`, `    v2: ${q(operationName(pair.v2))}${review}`);
  const request = requestSteps(pair);
  const response = responseSteps(pair);
  if (request.length) lines.push('    request:', ...request.map((line) => `      ${line}`));
  if (response.length) lines.push('    response:', ...response.map((line) => `      ${line}`));
  return lines;
}

function requestSteps({ v1, v2 }: DraftPair): string[] {
  const steps: string[] = [];
  const names = (operation: SpecOperation) => [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const [params1, params2] = [names(v1), names(v2)];
  params2.forEach((name, i) => {
    if (params1.includes(name)) return;
    const source = params1[i] ?? params1[0];
    if (source) steps.push(`- move: { from: ${q(`params.${source}`)}, to: ${q(`params.${name}`)} }   # review: path parameter by position`);
  });
  const query1 = v1.parameters.filter((p) => p.in === 'query');
  const query2 = v2.parameters.filter((p) => p.in === 'query');
  const free = query2.filter((p) => !query1.some((o) => o.name === p.name));
  for (const parameter of query1) {
    if (query2.some((p) => p.name === parameter.name)) continue;
    const match = free.find((p) => p.name.startsWith(`${parameter.name}[`) || p.name.endsWith(`[${parameter.name}]`) || closeNames(p.name, parameter.name));
    if (match) {
      free.splice(free.indexOf(match), 1);
      steps.push(`- move: { from: ${q(`query.${parameter.name}`)}, to: ${q(`query.${match.name}`)} }   # review: query parameter ${parameter.name} looks like ${match.name}`);
    } else if (v2.requestBody && jsonMedia(v2.requestBody.content)) {
      const body = jsonMedia(v2.requestBody.content)![1];
      const target = Object.keys(propertiesOf(body)).find((name) => closeNames(name, parameter.name));
      steps.push(target ? `- move: { from: ${q(`query.${parameter.name}`)}, to: ${q(`body.${target}`)} }   # review: query parameter moved into the body?` : `# review: v2 has no query parameter ${parameter.name}; move it somewhere or drop it`);
    } else steps.push(`# review: v2 has no query parameter ${parameter.name}; move it somewhere or drop it`);
  }
  const [body1, body2] = [bodySchema(v1.requestBody?.content), bodySchema(v2.requestBody?.content)];
  if (body1 && body2) steps.push(...renameSteps(body1, body2, 'body', 'request'));
  return steps;
}

function responseSteps({ v1, v2 }: DraftPair): string[] {
  const steps: string[] = [];
  const success = (operation: SpecOperation) => Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
  const [s1, s2] = [success(v1), success(v2)];
  if (s1.length === 1 && s2.length === 1 && s1[0] !== s2[0]) steps.push(`- status: { ${s2[0]}: ${s1[0]} }`);
  const [body1, body2] = [bodySchema(v1.responses[s1[0] ?? '']?.content), bodySchema(v2.responses[s2[0] ?? '']?.content)];
  if (body1 && body2) {
    const [types1, types2] = [typesOf(body1), typesOf(body2)];
    if (types1?.has('array') && types2?.has('object')) {
      const envelope = Object.entries(propertiesOf(body2)).find(([, schema]) => typesOf(schema)?.has('array'));
      if (envelope) {
        steps.push(`- unwrap: ${q(`body.${envelope[0]}`)}   # review: v2 wraps the list in an envelope`);
        const items2 = foldAllOf(envelope[1]).items;
        const items1 = foldAllOf(body1).items;
        if (isRecord(items1) && isRecord(items2)) steps.push(...renameSteps(items1 as Schema, items2 as Schema, 'body[]', 'response'));
      }
    } else steps.push(...renameSteps(body1, body2, 'body', 'response'));
  }
  return steps;
}

/** Renames proposed between two object schemas (and one level into matching properties and items). */
function renameSteps(v1: Schema, v2: Schema, at: string, stage: 'request' | 'response', depth = 0): string[] {
  const [props1, props2] = [propertiesOf(alternatives(v1)[0]!), propertiesOf(alternatives(v2)[0]!)];
  const removed = Object.keys(props1).filter((name) => !(name in props2));
  const added = Object.keys(props2).filter((name) => !(name in props1));
  const steps: string[] = [];
  for (const [from, to] of detectRenames(removed, added, props1, props2)) {
    const confidence = closeNames(from, to) ? 0.9 : 0.6;
    const [a, b] = stage === 'request' ? [joinPath(at, from), joinPath(at, to)] : [joinPath(at, to), joinPath(at, from)];
    steps.push(`- rename: { from: ${q(a)}, to: ${q(b)} }   # review: ${from} and ${to} are both ${typeSignature(props1[from]!)} (confidence ${confidence.toFixed(2)})`);
  }
  if (depth > 0) return steps;
  for (const name of Object.keys(props1).filter((n) => n in props2)) {
    const [a, b] = [foldAllOf(props1[name]!), foldAllOf(props2[name]!)];
    if (typesOf(a)?.has('object') && typesOf(b)?.has('object')) steps.push(...renameSteps(a, b, joinPath(at, name), stage, depth + 1));
    if (isRecord(a.items) && isRecord(b.items)) steps.push(...renameSteps(a.items as Schema, b.items as Schema, `${joinPath(at, name)}[]`, stage, depth + 1));
  }
  return steps;
}

function bodySchema(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  return content ? jsonMedia(content)?.[1] : undefined;
}

function pairForDraft(v1: SpecOperation[], v2: SpecOperation[]): DraftPair[] {
  const pairs: DraftPair[] = [];
  const free = new Set(v2);
  for (const operation of v1) {
    const partner = operation.operationId ? [...free].find((candidate) => candidate.operationId === operation.operationId) : undefined;
    if (partner) {
      free.delete(partner);
      pairs.push({ v1: operation, v2: partner, pairedBy: 'operationId', confidence: 1 });
    }
  }
  const unpaired = v1.filter((operation) => !pairs.some((pair) => pair.v1 === operation));
  const scored = unpaired.flatMap((operation) => [...free].map((candidate) => ({ operation, candidate, score: pathSimilarity(operation, candidate) })));
  scored.sort((a, b) => b.score - a.score);
  const taken = new Set<SpecOperation>();
  for (const { operation, candidate, score } of scored) {
    if (score < 0.4 || taken.has(operation) || !free.has(candidate)) continue;
    taken.add(operation);
    free.delete(candidate);
    pairs.push({ v1: operation, v2: candidate, pairedBy: 'path', confidence: score });
  }
  return pairs.sort((a, b) => v1.indexOf(a.v1) - v1.indexOf(b.v1));
}

const VERSION_SEGMENT = /^(v\d+|api|\d+(\.\d+)*)$/i;

/** Shared path segments (version prefixes ignored, parameters as one kind), plus a little for the same method. */
export function pathSimilarity(a: SpecOperation, b: SpecOperation): number {
  const segments = (path: string) => path.split('/').filter((s) => s && !VERSION_SEGMENT.test(s)).map((s) => (s.startsWith('{') ? '{}' : s.toLowerCase()));
  const [x, y] = [segments(a.path), segments(b.path)];
  if (!x.length && !y.length) return a.method === b.method ? 1 : 0.4;
  const matched = x.filter((segment) => y.some((other) => other === segment || (segment !== '{}' && other !== '{}' && (other.includes(segment) || segment.includes(other))))).length;
  const shape = matched / Math.max(x.length, y.length);
  return Math.min(1, shape * 0.8 + (a.method === b.method ? 0.2 : 0));
}

function closeNames(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase().replace(/[_\-[\]]/g, ''), b.toLowerCase().replace(/[_\-[\]]/g, '')];
  return x.includes(y) || y.includes(x) || editDistance(x, y) <= Math.max(1, Math.floor(Math.min(x.length, y.length) / 4));
}

function kebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

function q(text: string): string {
  return JSON.stringify(text);
}
