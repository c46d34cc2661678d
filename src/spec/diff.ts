import { createHash } from 'node:crypto';
import { editDistance } from '../core/spelling.js';
import { isRecord, operationName, routeKey, type Schema, type SpecDocument, type SpecMedia, type SpecOperation, type SpecParameter } from './model.js';
import { parameterPath } from './parameter-path.js';
import { isSuccess } from './rule-kit.js';
import { RULES } from './rule-registry.js';
import type { FindingDraft, Level, OperationPair, ParameterPair, PropertySite, ResponsePair, Rule, RuleSite, SchemaSite, VariantSite } from './rule.js';
import { alternatives, foldAllOf, joinPath, propertiesOf, requiredOf, typeSignature, typesOf } from './schema-shape.js';

/** One difference between the v1 and v2 documents, as a rule judged it. */
export interface Finding {
  rule: string;
  level: Level;
  message: string;
  /** The v1 operation (`GET /items/{id}`); for v2-only findings, the v2 one. */
  operation: string;
  v2Operation?: string;
  where: 'operation' | 'request' | 'response';
  /** For response findings: the v1 status (the v2 one when v1 has none). */
  status?: string;
  v1Path?: string;
  v2Path?: string;
  /** Stable across runs, reorderings and unrelated edits of the documents: what waivers name. */
  fingerprint: string;
}

export interface RoutePair {
  v1: { method: string; path: string };
  v2: { method: string; path: string };
}

export interface DiffOptions {
  /** Operations paired by the mapping (v1 route to v2 route), tried before route and operationId. */
  pairs?: RoutePair[];
  rules?: readonly Rule[];
}

export interface SpecDiff {
  v1: SpecDocument;
  v2: SpecDocument;
  pairs: OperationPair[];
  findings: Finding[];
}

const LEVEL_ORDER: Record<Level, number> = { error: 0, warn: 1, info: 2 };

/**
 * Compares two documents the way a v1 client experiences the change: operations are paired
 * (mapping, then same route, then operationId), then their parameters, bodies, responses,
 * headers and schemas, recursively; every rule sees the sites of its kind. Findings are sorted.
 */
export function diffSpecs(v1: SpecDocument, v2: SpecDocument, options: DiffOptions = {}): SpecDiff {
  const rules = groupRules(options.rules ?? RULES);
  const pairs = pairOperations(v1.operations, v2.operations, options.pairs ?? []);
  const findings: Finding[] = [];
  const paired1 = new Set(pairs.map((pair) => pair.v1));
  const paired2 = new Set(pairs.map((pair) => pair.v2));
  const documentSite = { v1, v2, unpairedV1: v1.operations.filter((op) => !paired1.has(op)), unpairedV2: v2.operations.filter((op) => !paired2.has(op)) };
  for (const rule of rules.get('document') ?? []) {
    for (const draft of (rule.check as (site: typeof documentSite) => FindingDraft[])(documentSite)) {
      const operation = draft.operation!;
      findings.push(finding(rule, draft, { operation: operationName(operation), where: 'operation' }));
    }
  }
  for (const pair of pairs) new OperationWalker(pair, rules, findings).walk();
  return { v1, v2, pairs, findings: sortFindings(findings) };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      a.operation.localeCompare(b.operation) ||
      (a.status ?? '').localeCompare(b.status ?? '') ||
      (a.v1Path ?? a.v2Path ?? '').localeCompare(b.v1Path ?? b.v2Path ?? '') ||
      a.rule.localeCompare(b.rule) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
}

function groupRules(rules: readonly Rule[]): Map<RuleSite, Rule[]> {
  const grouped = new Map<RuleSite, Rule[]>();
  for (const rule of rules) grouped.set(rule.site, [...(grouped.get(rule.site) ?? []), rule]);
  return grouped;
}

interface Place {
  operation: string;
  v2Operation?: string;
  where: Finding['where'];
  status?: string;
  v1Path?: string;
  v2Path?: string;
}

function finding(rule: Rule, draft: FindingDraft, place: Place): Finding {
  const v1Path = 'v1Path' in draft ? draft.v1Path : place.v1Path;
  const v2Path = 'v2Path' in draft ? draft.v2Path : place.v2Path;
  const operation = draft.operation ? operationName(draft.operation) : place.operation;
  const fingerprint = createHash('sha256')
    .update([rule.id, operation, place.where, place.status ?? '', v1Path ?? '', v2Path ?? '', draft.detail ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return {
    rule: rule.id,
    level: rule.level,
    message: draft.message,
    operation,
    ...(place.v2Operation && place.v2Operation !== operation ? { v2Operation: place.v2Operation } : {}),
    where: place.where,
    ...(place.status ? { status: place.status } : {}),
    ...(v1Path ? { v1Path } : {}),
    ...(v2Path ? { v2Path } : {}),
    fingerprint,
  };
}

function pairOperations(v1: SpecOperation[], v2: SpecOperation[], routePairs: RoutePair[]): OperationPair[] {
  const pairs: OperationPair[] = [];
  const taken1 = new Set<SpecOperation>();
  const taken2 = new Set<SpecOperation>();
  const add = (a: SpecOperation | undefined, b: SpecOperation | undefined, pairedBy: OperationPair['pairedBy']) => {
    if (!a || !b || taken1.has(a) || taken2.has(b)) return;
    taken1.add(a);
    taken2.add(b);
    pairs.push({ v1: a, v2: b, pairedBy });
  };
  const find = (operations: SpecOperation[], route: { method: string; path: string }) => operations.find((op) => routeKey(op.method, op.path) === routeKey(route.method, route.path));
  for (const pair of routePairs) add(find(v1, pair.v1), find(v2, pair.v2), 'mapping');
  for (const operation of v1) add(operation, find(v2, operation), 'route');
  for (const operation of v1) {
    if (!operation.operationId || taken1.has(operation)) continue;
    add(operation, v2.find((candidate) => candidate.operationId === operation.operationId), 'operationId');
  }
  return pairs;
}

class OperationWalker {
  private readonly place: Place;
  private readonly seen = new WeakMap<Schema, WeakSet<Schema>>();

  constructor(
    private readonly pair: OperationPair,
    private readonly rules: Map<RuleSite, Rule[]>,
    private readonly findings: Finding[],
  ) {
    this.place = { operation: operationName(pair.v1), v2Operation: operationName(pair.v2), where: 'operation' };
  }

  walk(): void {
    this.run('operation', this.pair, this.place);
    this.walkParameters();
    this.walkRequestBody();
    this.walkResponses();
  }

  private run(site: RuleSite, subject: unknown, place: Place): void {
    for (const rule of this.rules.get(site) ?? []) {
      for (const draft of (rule.check as (subject: unknown) => FindingDraft[])(subject)) this.findings.push(finding(rule, draft, place));
    }
  }

  private walkParameters(): void {
    const request: Place = { ...this.place, where: 'request' };
    for (const pair of pairParameters(this.pair.v1, this.pair.v2)) {
      const v1Path = pair.v1 ? parameterPath(pair.v1) : undefined;
      const v2Path = pair.v2 ? parameterPath(pair.v2) : undefined;
      this.run('parameter', pair satisfies ParameterPair, { ...request, v1Path, v2Path });
      if (pair.v1 && pair.v2) this.compareSchemas('request', pair.v1.schema, pair.v2.schema, v1Path!, v2Path!, request, true);
    }
  }

  private walkRequestBody(): void {
    const [a, b] = [this.pair.v1.requestBody, this.pair.v2.requestBody];
    if (!a || !b) return;
    for (const [left, right] of pairMedia(a.content, b.content)) {
      if (left.schema && right.schema) this.compareSchemas('request', left.schema, right.schema, 'body', 'body', { ...this.place, where: 'request' }, false);
    }
  }

  private walkResponses(): void {
    for (const pair of pairResponses(this.pair.v1, this.pair.v2)) {
      const place: Place = { ...this.place, where: 'response', status: pair.v1Status };
      this.run('response', pair satisfies ResponsePair, place);
      for (const [left, right] of pairMedia(pair.v1.content, pair.v2.content)) {
        if (left.schema && right.schema) this.compareSchemas('response', left.schema, right.schema, 'body', 'body', place, false);
      }
      for (const [name, header] of Object.entries(pair.v1.headers)) {
        const other = pair.v2.headers[name];
        if (other) this.compareSchemas('response', header.schema, other.schema, `headers.${name}`, `headers.${name}`, place, true);
      }
    }
  }

  /** Schemas at one place, then their variants, properties and items; cycles are visited once. */
  private compareSchemas(side: 'request' | 'response', v1: Schema, v2: Schema, v1Path: string, v2Path: string, base: Place, onTheWire: boolean): void {
    let visited = this.seen.get(v1);
    if (!visited) this.seen.set(v1, (visited = new WeakSet()));
    if (visited.has(v2)) return;
    visited.add(v2);
    const [a, b] = [foldAllOf(v1), foldAllOf(v2)];
    const place = { ...base, v1Path, v2Path };
    this.run(`${side}-schema`, { v1: a, v2: b, v1Path, v2Path, onTheWire } satisfies SchemaSite, place);

    const keyword = composition(a) ?? composition(b);
    if (keyword) {
      const matched = matchVariants(alternatives(a), alternatives(b));
      this.run(`${side}-variants`, { keyword, removed: matched.removed, added: matched.added, v1Path, v2Path } satisfies VariantSite, place);
      for (const [left, right] of matched.pairs) if (left !== a || right !== b) this.compareSchemas(side, left, right, v1Path, v2Path, base, onTheWire);
      return;
    }
    const [types1, types2] = [typesOf(a), typesOf(b)];
    if (types1 && types2 && ![...types1].some((type) => type !== 'null' && (types2.has(type) || (type === 'integer' && types2.has('number')) || (type === 'number' && types2.has('integer'))))) return;
    if (isRecord(a.items) && isRecord(b.items)) this.compareSchemas(side, a.items as Schema, b.items as Schema, `${v1Path}[]`, `${v2Path}[]`, base, false);
    this.compareProperties(side, a, b, v1Path, v2Path, base);
  }

  private compareProperties(side: 'request' | 'response', a: Schema, b: Schema, v1Path: string, v2Path: string, base: Place): void {
    const [props1, props2] = [propertiesOf(a), propertiesOf(b)];
    if (!Object.keys(props1).length && !Object.keys(props2).length) return;
    const [required1, required2] = [requiredOf(a), requiredOf(b)];
    const removed = Object.keys(props1).filter((name) => !(name in props2));
    const added = Object.keys(props2).filter((name) => !(name in props1));
    const renames = detectRenames(removed, added, props1, props2);
    const sites: PropertySite[] = [];
    for (const name of Object.keys(props1)) {
      const v2Name = name in props2 ? name : renames.get(name);
      sites.push({ v1Name: name, v2Name, v1: props1[name], v2: v2Name ? props2[v2Name] : undefined, v1Required: required1.has(name), v2Required: !!v2Name && required2.has(v2Name), v1Path: joinPath(v1Path, name), v2Path: v2Name ? joinPath(v2Path, v2Name) : joinPath(v2Path, name) });
    }
    const renamedTo = new Set(renames.values());
    for (const name of added.filter((name) => !renamedTo.has(name))) {
      sites.push({ v2Name: name, v2: props2[name], v1Required: false, v2Required: required2.has(name), v1Path: joinPath(v1Path, name), v2Path: joinPath(v2Path, name) });
    }
    for (const site of sites) {
      this.run(`${side}-property`, site, { ...base, v1Path: site.v1Path, v2Path: site.v2Path });
      if (site.v1 && site.v2) this.compareSchemas(side, site.v1, site.v2, site.v1Path, site.v2Path, base, false);
    }
  }
}

function composition(schema: Schema): 'oneOf' | 'anyOf' | undefined {
  if (Array.isArray(schema.oneOf)) return 'oneOf';
  if (Array.isArray(schema.anyOf)) return 'anyOf';
  return undefined;
}

/**
 * A property that left and one that arrived at the same place, with the same type signature, are
 * a rename when they are scalars and each other's only candidate, or when their names are close
 * (`type` and `knowledge_type`, `colour` and `color`).
 */
export function detectRenames(removed: string[], added: string[], props1: Record<string, Schema>, props2: Record<string, Schema>): Map<string, string> {
  const renames = new Map<string, string>();
  const candidates = (name: string) => added.filter((other) => typeSignature(props1[name]!) === typeSignature(props2[other]!));
  const reverse = (other: string) => removed.filter((name) => typeSignature(props1[name]!) === typeSignature(props2[other]!));
  const claimed = new Set<string>();
  for (const name of removed) {
    const options = candidates(name).filter((other) => !claimed.has(other));
    let choice: string | undefined;
    // Objects and arrays often share one $ref'd shape (two RateLimit entries), so being the
    // only candidate proves nothing for them: they need close names too.
    if (options.length === 1 && reverse(options[0]!).length === 1 && isScalar(props1[name]!)) choice = options[0];
    else {
      const close = options.filter((other) => namesClose(name, other));
      if (close.length === 1) choice = close[0];
    }
    if (choice) {
      renames.set(name, choice);
      claimed.add(choice);
    }
  }
  return renames;
}

function isScalar(schema: Schema): boolean {
  const types = typesOf(schema);
  return !!types && !types.has('object') && !types.has('array');
}

function namesClose(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase().replace(/[_-]/g, ''), b.toLowerCase().replace(/[_-]/g, '')];
  return x.includes(y) || y.includes(x) || editDistance(x, y) <= Math.max(1, Math.floor(Math.min(x.length, y.length) / 4));
}

/** Pairs oneOf/anyOf alternatives by structure: a shared discriminator value, else type and property overlap. */
export function matchVariants(left: Schema[], right: Schema[]): { pairs: Array<[Schema, Schema]>; removed: Schema[]; added: Schema[] } {
  const scored: Array<{ i: number; j: number; score: number }> = [];
  left.forEach((a, i) => right.forEach((b, j) => scored.push({ i, j, score: similarity(a, b) })));
  scored.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const [used1, used2] = [new Set<number>(), new Set<number>()];
  const pairs: Array<[Schema, Schema]> = [];
  for (const { i, j, score } of scored) {
    if (score < 0.5 || used1.has(i) || used2.has(j)) continue;
    used1.add(i);
    used2.add(j);
    pairs.push([left[i]!, right[j]!]);
  }
  return { pairs, removed: left.filter((_, i) => !used1.has(i)), added: right.filter((_, j) => !used2.has(j)) };
}

function similarity(a: Schema, b: Schema): number {
  const [types1, types2] = [typesOf(a), typesOf(b)];
  if (types1 && types2 && ![...types1].some((type) => types2.has(type))) return 0;
  const [props1, props2] = [propertiesOf(a), propertiesOf(b)];
  for (const [name, schema] of Object.entries(props1)) {
    const [one, two] = [foldAllOf(schema).enum, props2[name] ? foldAllOf(props2[name]!).enum : undefined];
    if (Array.isArray(one) && one.length === 1 && Array.isArray(two) && two.length === 1) return JSON.stringify(one[0]) === JSON.stringify(two[0]) ? 1 : 0;
  }
  const names1 = Object.keys(props1);
  const names2 = Object.keys(props2);
  if (!names1.length && !names2.length) return typeSignature(a) === typeSignature(b) ? 1 : 0.6;
  const shared = names1.filter((name) => name in props2).length;
  return shared / new Set([...names1, ...names2]).size;
}

/** Same location and name; then the same name elsewhere (a move); path parameters by position. */
function pairParameters(v1: SpecOperation, v2: SpecOperation): ParameterPair[] {
  const pairs: ParameterPair[] = [];
  const left = v1.parameters.filter((p) => p.in !== 'path');
  const right = new Set(v2.parameters.filter((p) => p.in !== 'path'));
  const positions = (operation: SpecOperation) => [...operation.path.matchAll(/\{([^}]*)\}/g)].map((match) => operation.parameters.find((p) => p.in === 'path' && p.name === match[1]));
  const [path1, path2] = [positions(v1), positions(v2)];
  path1.forEach((parameter, i) => {
    if (parameter && path2[i]) pairs.push({ v1: parameter, v2: path2[i] });
  });
  const take = (predicate: (candidate: SpecParameter) => boolean) => {
    const found = [...right].find(predicate);
    if (found) right.delete(found);
    return found;
  };
  const unmatched: SpecParameter[] = [];
  for (const parameter of left) {
    const same = take((candidate) => candidate.in === parameter.in && candidate.name === parameter.name);
    if (same) pairs.push({ v1: parameter, v2: same });
    else unmatched.push(parameter);
  }
  for (const parameter of unmatched) {
    const moved = take((candidate) => candidate.name.toLowerCase() === parameter.name.toLowerCase());
    pairs.push(moved ? { v1: parameter, v2: moved } : { v1: parameter });
  }
  for (const parameter of right) pairs.push({ v2: parameter });
  return pairs;
}

/** Same status codes; and the single success status of each side with each other. */
function pairResponses(v1: SpecOperation, v2: SpecOperation): ResponsePair[] {
  const pairs: ResponsePair[] = [];
  for (const [status, response] of Object.entries(v1.responses)) {
    if (v2.responses[status]) pairs.push({ v1Status: status, v2Status: status, v1: response, v2: v2.responses[status]! });
  }
  const [success1, success2] = [Object.keys(v1.responses).filter(isSuccess), Object.keys(v2.responses).filter(isSuccess)];
  if (success1.length === 1 && success2.length === 1 && success1[0] !== success2[0]) {
    pairs.push({ v1Status: success1[0]!, v2Status: success2[0]!, v1: v1.responses[success1[0]!]!, v2: v2.responses[success2[0]!]! });
  }
  return pairs;
}

function isJsonLike(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === '*/*';
}

function pairMedia(left: Record<string, SpecMedia>, right: Record<string, SpecMedia>): Array<[SpecMedia, SpecMedia]> {
  const pairs: Array<[SpecMedia, SpecMedia]> = [];
  for (const [mediaType, media] of Object.entries(left)) if (right[mediaType]) pairs.push([media, right[mediaType]!]);
  if (!pairs.length) {
    const a = Object.entries(left).find(([mediaType]) => isJsonLike(mediaType));
    const b = Object.entries(right).find(([mediaType]) => isJsonLike(mediaType));
    if (a && b) pairs.push([a[1], b[1]]);
  }
  return pairs;
}
