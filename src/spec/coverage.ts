import fc from 'fast-check';
import type { CompiledEndpoint, CompiledTable } from '../core/mapping/compiled.js';
import type { HttpMessage } from '../core/model/http-message.js';
import type { MappingDocument } from '../core/model/mapping.js';
import { collect, parseMessagePath, PathSyntaxError } from '../core/transform/path.js';
import type { Finding, RoutePair, SpecDiff } from './diff.js';
import { endpointSpecs, runSample, sampleArbitrary, type EndpointSpecs, type ExchangeOutcome, type ExchangeProblem } from './exchange-check.js';
import { bodyPointerPath, isWithin, messageSegments } from './message-path.js';
import { operationName, routeKey, type SpecDocument, type SpecOperation } from './model.js';
import { bestRule, locateRules, type LocatedRule } from './rule-locator.js';
import { checkMappingAgainstSpecs, type MappingProblem } from './mapping-references.js';

/**
 * Which breaking findings the mapping repairs for v1 clients. A finding is `covered` when the
 * mapping, run as the gateway runs it (the pipeline's `exchange`) on requests and answers
 * generated from the two documents, gives v1 clients what v1 promised at the finding's place: a
 * valid v2 request there, a v1 response that matches the v1 document there. Route changes are
 * covered by the endpoint entry, a removed endpoint by its `removed` declaration.
 */
export interface CoverageVerdict {
  status: 'covered' | 'uncovered';
  /** The mapping rule that repairs it (or the endpoint entry). */
  by?: { pointer: string; op: string; description: string; endpoint: string };
  /** Why it is uncovered, or how it was judged. */
  reason: string;
}

export interface CoveredFinding extends Finding {
  coverage?: CoverageVerdict;
}

export interface CoverageReport {
  findings: CoveredFinding[];
  /** v1 operations with no mapping entry and not declared removed. */
  unmapped: string[];
  /** Mapping entries naming routes or fields the documents do not have. */
  mappingProblems: MappingProblem[];
}

export interface CoverageOptions {
  /** Generated exchanges per endpoint and status group (default 40). */
  samples?: number;
  seed?: number;
}

const ROUTE_RULES = new Set(['endpoint-path-changed', 'endpoint-method-changed', 'path-parameter-renamed', 'operation-id-changed', 'endpoint-removed', 'deprecated-endpoint-removed']);

/** The route pairs a mapping declares, for pairing operations before the diff. */
export function mappingPairs(table: CompiledTable): RoutePair[] {
  return table.endpoints.flatMap((endpoint) => (endpoint.v2 ? [{ v1: { method: endpoint.v1.method, path: endpoint.v1.template }, v2: { method: endpoint.v2.method, path: endpoint.v2.template } }] : []));
}

export function endpointFor(table: CompiledTable, operation: Pick<SpecOperation, 'method' | 'path'>): CompiledEndpoint | undefined {
  const key = routeKey(operation.method, operation.path);
  return table.endpoints.find((endpoint) => routeKey(endpoint.v1.method, endpoint.v1.template) === key);
}

export async function assessCoverage(diff: SpecDiff, table: CompiledTable, document: MappingDocument, options: CoverageOptions = {}): Promise<CoverageReport> {
  const judge = new CoverageJudge(diff, table, document, options);
  const findings: CoveredFinding[] = [];
  for (const finding of diff.findings) findings.push(finding.level === 'info' ? finding : { ...finding, coverage: await judge.verdict(finding) });
  const unmapped = diff.v1.operations.filter((operation) => !endpointFor(table, operation)).map(operationName);
  return { findings, unmapped, mappingProblems: checkMappingAgainstSpecs(table, document, diff.v1, diff.v2) };
}

class CoverageJudge {
  private readonly outcomes = new Map<string, Promise<Array<{ sample: { v1Request: HttpMessage; v2Responses: Record<string, HttpMessage> }; outcome: ExchangeOutcome }> | string>>();
  private readonly samples: number;
  private readonly seed: number;

  constructor(
    private readonly diff: SpecDiff,
    private readonly table: CompiledTable,
    private readonly document: MappingDocument,
    options: CoverageOptions,
  ) {
    this.samples = options.samples ?? 40;
    this.seed = options.seed ?? 1;
  }

  async verdict(finding: Finding): Promise<CoverageVerdict> {
    const v1Operation = this.diff.v1.operations.find((operation) => operationName(operation) === finding.operation);
    if (!v1Operation) return { status: 'uncovered', reason: 'the operation exists only in v2' };
    const endpoint = endpointFor(this.table, v1Operation);
    if (!endpoint) return { status: 'uncovered', reason: `no mapping entry for ${finding.operation}` };
    const entry = (suffix: string, op: string, description: string) => ({ pointer: `${endpoint.pointer}${suffix}`, op, description, endpoint: endpoint.id });
    if (endpoint.removed) return { status: 'covered', by: entry('/removed', 'removed', endpoint.removed.message), reason: 'the endpoint is declared removed' };
    if (ROUTE_RULES.has(finding.rule)) return { status: 'covered', by: entry('/v2', 'route', `${endpoint.v1.method} ${endpoint.v1.template} is served by ${endpoint.v2!.method} ${endpoint.v2!.template}`), reason: 'the endpoint entry routes it' };

    const rules = locateRules(this.table, this.document, endpoint);
    const side = sideOf(finding);
    const onlyV1Request = side === 'request' && finding.v1Path && !finding.v2Path;
    const errorAnswer = side === 'response' && finding.where === 'response' && !/^2/.test(finding.status ?? '2');
    const named = bestRule(rules, errorAnswer ? 'error' : side, finding.v1Path, finding.v2Path);
    const by = named ? { pointer: named.pointer, op: named.op, description: named.description, endpoint: endpoint.id } : entry('', 'endpoint', endpoint.description ?? `endpoint ${endpoint.id}`);
    if (onlyV1Request) {
      // Where a v1 value goes once v2 has no place of that name is the mapping's to say: it is
      // covered when a request rule reads it (moves it, renames it, drops it on purpose).
      const place = messageSegments(finding.v1Path!);
      const reader = rules.find((rule) => rule.side === 'request' && rule.v1Paths.some((path) => isWithin(messageSegments(path), place))) ?? rules.find((rule) => rule.side === 'request' && rule.op === 'fn');
      return reader
        ? { status: 'covered', by: { pointer: reader.pointer, op: reader.op, description: reader.description, endpoint: endpoint.id }, reason: `a request rule reads \`${finding.v1Path}\`` }
        : { status: 'uncovered', reason: `no request rule of endpoint "${endpoint.id}" reads \`${finding.v1Path}\`, so v2 never gets that value` };
    }
    if (side === 'request' && finding.v2Path === 'headers.authorization') {
      const writer = rules.find((rule) => rule.side === 'request' && (rule.op === 'fn' || rule.v2Paths.includes('headers.authorization')));
      return writer ? { status: 'covered', by: { pointer: writer.pointer, op: writer.op, description: writer.description, endpoint: endpoint.id }, reason: 'a request rule supplies credentials' } : { status: 'uncovered', reason: 'credentials are the client\'s; no request rule writes headers.authorization' };
    }
    const runs = await this.exercise(endpoint, finding);
    if (typeof runs === 'string') return { status: 'uncovered', reason: runs };
    const problem = this.problemAt(finding, runs);
    if (problem) return { status: 'uncovered', reason: problem, ...(named ? {} : {}) };
    return { status: 'covered', by, reason: `${runs.length} generated exchanges give v1 clients what v1 promised at \`${finding.v1Path ?? finding.v2Path ?? finding.operation}\`` };
  }

  private exercise(endpoint: CompiledEndpoint, finding: Finding) {
    const specs = endpointSpecs(endpoint, this.diff.v1, this.diff.v2);
    const group = finding.where !== 'response' || /^2/.test(finding.status ?? '2') ? 'success' : finding.status!;
    const key = `${endpoint.id} ${group}`;
    let pending = this.outcomes.get(key);
    if (!pending) {
      pending = this.run(endpoint, specs, group);
      this.outcomes.set(key, pending);
    }
    return pending;
  }

  private async run(endpoint: CompiledEndpoint, specs: EndpointSpecs | { missing: string[] }, group: string) {
    if ('missing' in specs) return `the documents have no ${specs.missing.join(', ')}`;
    const responses = Object.keys(specs.v2.main!.responses);
    const statuses = group === 'success' ? responses.filter((status) => /^2/.test(status)) : responses.includes(group) ? [group] : responses.filter((status) => !/^2/.test(status));
    if (!statuses.length) return `v2 documents no ${group === 'success' ? 'success' : group} response to translate`;
    const samples = fc.sample(sampleArbitrary(endpoint, specs, statuses), { numRuns: this.samples, seed: this.seed });
    const runs = [];
    for (const sample of samples) runs.push({ sample, outcome: await runSample(this.table, endpoint, specs, this.diff.v2, sample) });
    return runs;
  }

  /** The first problem of the generated exchanges at the finding's place, if any. */
  private problemAt(finding: Finding, runs: Array<{ sample: { v1Request: HttpMessage; v2Responses: Record<string, HttpMessage> }; outcome: ExchangeOutcome }>): string | undefined {
    const side = sideOf(finding);
    const places = [finding.v1Path, finding.v2Path].filter((p): p is string => !!p).map(messageSegments);
    const relevant = (problem: ExchangeProblem) => {
      if (problem.side !== side && problem.at !== '') return false;
      const at = problem.at === 'body' ? messageSegments(bodyPointerPath(problem.pointer)) : problem.at === '' ? [] : messageSegments(problem.at);
      return places.length === 0 || places.some((place) => isWithin(place, at) || isWithin(at, place));
    };
    for (const { outcome } of runs) {
      const problem = outcome.problems.find(relevant);
      if (problem) return problem.message;
    }
    // A renamed or moved value must arrive: where the sender had it, the receiver has it too.
    if (finding.v1Path && finding.v2Path && finding.v1Path !== finding.v2Path && /renamed|moved/.test(finding.rule)) {
      for (const { sample, outcome } of runs) {
        const [from, to, fromPath, toPath] = side === 'request' ? [sample.v1Request, outcome.v2Requests[0]?.request, finding.v1Path, finding.v2Path] : [sample.v2Responses.main, outcome.v1Response, finding.v2Path, finding.v1Path];
        if (present(from, fromPath) && !present(to, toPath)) return `\`${fromPath}\` was sent but the translated message has no \`${toPath}\``;
      }
    }
    if (side === 'response' && finding.v1Path && !finding.v2Path && /property-removed/.test(finding.rule)) {
      const parent = finding.v1Path.replace(/\.[^.]+$/, '');
      const withParent = runs.filter(({ outcome }) => present(outcome.v1Response, parent));
      if (withParent.length && !withParent.some(({ outcome }) => present(outcome.v1Response, finding.v1Path!))) return `no translated v1 response has \`${finding.v1Path}\``;
    }
    return undefined;
  }
}

/** Status findings are about what v1 clients receive, whichever site found them. */
function sideOf(finding: Finding): 'request' | 'response' {
  return finding.where === 'response' || finding.v1Path === 'status' || finding.v2Path === 'status' ? 'response' : 'request';
}

function present(message: HttpMessage | undefined, path: string): boolean {
  if (!message) return false;
  try {
    return collect(message, parseMessagePath(path)).length > 0;
  } catch (error) {
    if (error instanceof PathSyntaxError) return false;
    throw error;
  }
}

export type { LocatedRule, SpecDocument };
