import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { CompiledEndpoint, CompiledTable } from '../core/mapping/compiled.js';
import { buildRuleInventory } from '../core/mapping/rule-inventory.js';
import type { MappingDocument } from '../core/model/mapping.js';
import type { CompiledOp } from '../core/transform/op.js';
import { arbitraryFor } from './arbitrary.js';
import { endpointSpecs, findOperation, jsonMedia, runSample, sampleArbitrary, type ExchangeProblem, type ExchangeSample } from './exchange-check.js';
import { bodyPointerPath } from './message-path.js';
import type { Schema, SpecDocument } from './model.js';
import { bestRule, locateRules } from './rule-locator.js';
import { schemasAt } from './schema-shape.js';

/**
 * The mapping checked against both documents by generated examples (fast-check, so failures
 * shrink to a minimal counterexample and a seed repeats a run exactly):
 *
 * - per endpoint: v1 requests generated from the v1 document and v2 answers (every documented
 *   status) from the v2 document go through the pipeline's `exchange`; each v2 request must be
 *   valid for the v2 document and each translated response valid for the v1 document;
 * - per resource rule: v1 -> v2 -> v1 gives back what it was given, on values generated from the
 *   v1 schemas at every place the resource is applied.
 */
export interface VerifyOptions {
  samples: number;
  seed: number;
}

export interface RuleRef {
  pointer: string;
  op: string;
  description: string;
}

export interface VerifyFailure {
  kind: 'exchange' | 'round-trip' | 'mapping';
  endpoint?: string;
  resource?: string;
  /** The mapping rule most closely tied to the failure. */
  rule?: RuleRef;
  message: string;
  problems: string[];
  /** The smallest failing input found. */
  counterexample?: unknown;
}

export interface VerifyReport {
  seed: number;
  samples: number;
  endpoints: Array<{ id: string; status: 'passed' | 'failed' | 'skipped'; runs: number; reason?: string }>;
  roundTrips: Array<{ resource: string; pointer: string; op: string; status: 'passed' | 'failed' | 'skipped'; runs: number; reason?: string }>;
  failures: VerifyFailure[];
}

export async function verifyMapping(table: CompiledTable, document: MappingDocument, v1: SpecDocument, v2: SpecDocument, options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { seed: options.seed, samples: options.samples, endpoints: [], roundTrips: [], failures: [] };
  for (const endpoint of table.endpoints) await verifyEndpoint(table, document, endpoint, v1, v2, options, report);
  verifyResources(table, document, v1, options, report);
  return report;
}

async function verifyEndpoint(table: CompiledTable, document: MappingDocument, endpoint: CompiledEndpoint, v1: SpecDocument, v2: SpecDocument, options: VerifyOptions, report: VerifyReport): Promise<void> {
  if (endpoint.removed) {
    report.endpoints.push({ id: endpoint.id, status: 'skipped', runs: 0, reason: `declared removed (${endpoint.removed.status})` });
    return;
  }
  const specs = endpointSpecs(endpoint, v1, v2);
  if ('missing' in specs) {
    const message = `the documents have no ${specs.missing.join(', ')}`;
    report.endpoints.push({ id: endpoint.id, status: 'failed', runs: 0, reason: message });
    report.failures.push({ kind: 'mapping', endpoint: endpoint.id, rule: { pointer: endpoint.pointer, op: 'endpoint', description: endpoint.description ?? endpoint.id }, message, problems: [] });
    return;
  }
  const property = fc.asyncProperty(sampleArbitrary(endpoint, specs), async (sample) => (await runSample(table, endpoint, specs, v2, sample)).problems.length === 0);
  const details = await fc.check(property, { numRuns: options.samples, seed: options.seed });
  if (!details.failed) {
    report.endpoints.push({ id: endpoint.id, status: 'passed', runs: details.numRuns });
    return;
  }
  if (!details.counterexample) {
    const message = `the check itself failed: ${String(details.errorInstance ?? 'unknown error')}`;
    report.endpoints.push({ id: endpoint.id, status: 'failed', runs: details.numRuns, reason: message });
    report.failures.push({ kind: 'exchange', endpoint: endpoint.id, message, problems: [] });
    return;
  }
  const sample = details.counterexample[0] as ExchangeSample;
  const outcome = await runSample(table, endpoint, specs, v2, sample);
  const first = outcome.problems[0]!;
  const rules = locateRules(table, document, endpoint);
  const errorAnswer = first.side === 'response' && !(sample.v2Responses.main!.status >= 200 && sample.v2Responses.main!.status < 300);
  const place = problemPlace(first);
  const blamed = bestRule(rules, errorAnswer ? 'error' : first.side, first.side === 'response' ? place : undefined, first.side === 'request' ? place : undefined);
  report.endpoints.push({ id: endpoint.id, status: 'failed', runs: details.numRuns, reason: first.message });
  report.failures.push({
    kind: 'exchange',
    endpoint: endpoint.id,
    ...(blamed ? { rule: { pointer: blamed.pointer, op: blamed.op, description: blamed.description } } : {}),
    message: `${first.side === 'request' ? `the v2 request${first.call && first.call !== 'main' ? ` of call "${first.call}"` : ''} is not valid for the v2 document` : 'the translated response is not valid for the v1 document'}: ${first.message}`,
    problems: outcome.problems.map((problem) => problem.message),
    counterexample: {
      v1Request: { method: sample.v1Request.method, path: sample.v1Request.path, query: sample.v1Request.query, headers: sample.v1Request.headers, body: sample.v1Request.body },
      v2Responses: Object.fromEntries(Object.entries(sample.v2Responses).map(([call, response]) => [call, { status: response.status, headers: response.headers, body: response.body }])),
      ...(outcome.v2Requests.length ? { v2Requests: outcome.v2Requests.map(({ call, request }) => ({ call, method: request.method, path: request.path, query: request.query, body: request.body })) } : {}),
      ...(outcome.v1Response ? { v1Response: { status: outcome.v1Response.status, headers: outcome.v1Response.headers, body: outcome.v1Response.body } } : {}),
    },
  });
}

function problemPlace(problem: ExchangeProblem): string | undefined {
  if (problem.at === 'body') return bodyPointerPath(problem.pointer);
  return problem.at || undefined;
}

/** Every invertible resource rule, on the v1 values it meets where the resource is applied. */
function verifyResources(table: CompiledTable, document: MappingDocument, v1: SpecDocument, options: VerifyOptions, report: VerifyReport): void {
  const inventory = buildRuleInventory(table, document);
  const places = new Map<string, Schema[]>();
  for (const endpoint of table.endpoints) {
    const operation = findOperation(v1, endpoint.v1.method, endpoint.v1.template);
    if (!operation) continue;
    for (const step of inventory.endpoints.get(endpoint.id)?.resourceSteps ?? []) {
      const at = step.at.text;
      if (!at.startsWith('body')) continue;
      const roots =
        step.stage === 'request'
          ? [operation.requestBody ? jsonMedia(operation.requestBody.content)?.[1] : undefined]
          : Object.entries(operation.responses).filter(([status]) => /^2/.test(status)).map(([, response]) => jsonMedia(response.content)?.[1]);
      const found = roots.filter((root): root is Schema => !!root).flatMap((root) => schemasAt(root, at.slice('body'.length).replace(/^\./, '')));
      places.set(step.resource, [...(places.get(step.resource) ?? []), ...found.filter((schema) => !(places.get(step.resource) ?? []).includes(schema))]);
    }
  }
  for (const [name, resource] of table.resources) {
    const schemas = places.get(name) ?? [];
    resource.rules.forEach((rule, index) => {
      const pointer = `/resources/${name}/${index}`;
      const entry = { resource: name, pointer, op: rule.op };
      if (!rule.undo) {
        report.roundTrips.push({ ...entry, status: 'skipped', runs: 0, reason: 'not invertible' });
        return;
      }
      if (!schemas.length) {
        report.roundTrips.push({ ...entry, status: 'skipped', runs: 0, reason: 'no v1 schema where the resource is applied' });
        return;
      }
      const before = resource.rules.slice(0, index);
      // Rule i sees what rules 0..i-1 made of the v1 value, as it does in the gateway.
      const input = fc.constantFrom(...schemas).chain((schema) => arbitraryFor(schema)).map((value) => before.reduce((current: unknown, earlier: CompiledOp) => earlier.apply(current), structuredClone(value)));
      const details = fc.check(
        fc.property(input, (value) => isDeepStrictEqual(rule.undo!(rule.apply(structuredClone(value))), value)),
        { numRuns: options.samples, seed: options.seed },
      );
      if (!details.failed) {
        report.roundTrips.push({ ...entry, status: 'passed', runs: details.numRuns });
        return;
      }
      const value = details.counterexample?.[0];
      const forward = value === undefined ? undefined : rule.apply(structuredClone(value));
      const back = forward === undefined ? undefined : rule.undo(structuredClone(forward));
      const message = `v1 -> v2 -> v1 does not give back the value: ${JSON.stringify(value)} -> ${JSON.stringify(forward)} -> ${JSON.stringify(back)}`;
      report.roundTrips.push({ ...entry, status: 'failed', runs: details.numRuns, reason: message });
      report.failures.push({ kind: 'round-trip', resource: name, rule: { pointer, op: rule.op, description: rule.description }, message, problems: [], counterexample: value });
    });
  }
}
