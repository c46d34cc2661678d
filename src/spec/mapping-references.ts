import type { CompiledEndpoint, CompiledStep, CompiledTable } from '../core/mapping/compiled.js';
import { buildRuleInventory } from '../core/mapping/rule-inventory.js';
import type { MappingDocument } from '../core/model/mapping.js';
import { closestWord } from '../core/spelling.js';
import { findOperation, jsonMedia } from './exchange-check.js';
import { isRecord, type Schema, type SpecDocument, type SpecOperation } from './model.js';
import { parameterPath } from './parameter-path.js';
import { propertiesOf, schemasAt } from './schema-shape.js';

/** A mapping entry that names a route or a field the documents do not have: most often a typo. */
export interface MappingProblem {
  pointer: string;
  message: string;
}

/**
 * Routes of every endpoint and call, and every place a step or resource rule reads or writes,
 * looked up in the documents. Steps run in sequence, so a body place is accepted when either
 * document has it (intermediate shapes are one or the other); a place in neither is reported.
 */
export function checkMappingAgainstSpecs(table: CompiledTable, document: MappingDocument, v1: SpecDocument, v2: SpecDocument): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const inventory = buildRuleInventory(table, document);
  for (const endpoint of table.endpoints) {
    const v1Operation = findOperation(v1, endpoint.v1.method, endpoint.v1.template);
    if (!v1Operation) problems.push({ pointer: `${endpoint.pointer}/v1`, message: `${endpoint.v1.method} ${endpoint.v1.template} is not an operation of the v1 document${hint(v1, endpoint.v1.template)}` });
    if (endpoint.removed) {
      const replacement = endpoint.removed.replacement?.match(/^([A-Z]+)\s+(\S+)/);
      if (replacement && !findOperation(v2, replacement[1]!, replacement[2]!)) problems.push({ pointer: `${endpoint.pointer}/removed/replacement`, message: `the replacement ${endpoint.removed.replacement} is not an operation of the v2 document${hint(v2, replacement[2]!)}` });
      continue;
    }
    const v2Operation = endpoint.v2 ? findOperation(v2, endpoint.v2.method, endpoint.v2.template) : undefined;
    if (endpoint.v2 && !v2Operation) problems.push({ pointer: `${endpoint.pointer}/v2`, message: `${endpoint.v2.method} ${endpoint.v2.template} is not an operation of the v2 document${hint(v2, endpoint.v2.template)}` });
    for (const call of endpoint.calls) {
      if (!findOperation(v2, call.route.method, call.route.template)) problems.push({ pointer: `${call.pointer}/v2`, message: `call "${call.id}": ${call.route.method} ${call.route.template} is not an operation of the v2 document${hint(v2, call.route.template)}` });
    }
    if (!v1Operation || !v2Operation) continue;
    problems.push(...checkSteps(endpoint.request, 'request', v1Operation, v2Operation));
    problems.push(...checkSteps(endpoint.response, 'response', v1Operation, v2Operation));
  }
  problems.push(...checkResourceFields(table, inventory, v1, v2));
  return dedupe(problems);
}

/**
 * A resource is applied in many places, each with part of its fields (a create request has no
 * id), so a rule's field is reported only when no place the resource is applied has it: v1
 * fields in v1 messages, v2 fields in v2 messages (a rule that keeps the field's name, such as
 * an enum map, is looked up on the v1 side only: its v2 value may come from a merge).
 */
function checkResourceFields(table: CompiledTable, inventory: ReturnType<typeof buildRuleInventory>, v1: SpecDocument, v2: SpecDocument): MappingProblem[] {
  const roots = new Map<string, { v1: Schema[]; v2: Schema[] }>();
  for (const endpoint of table.endpoints) {
    if (!endpoint.v2) continue;
    const [a, b] = [findOperation(v1, endpoint.v1.method, endpoint.v1.template), findOperation(v2, endpoint.v2.method, endpoint.v2.template)];
    if (!a || !b) continue;
    for (const step of inventory.endpoints.get(endpoint.id)?.resourceSteps ?? []) {
      const entry = roots.get(step.resource) ?? { v1: [], v2: [] };
      const pick = (operation: SpecOperation) => (step.stage === 'request' ? requestSchemas(operation) : successSchemas(operation));
      entry.v1.push(...pick(a));
      entry.v2.push(...pick(b), ...endpoint.calls.flatMap((call) => {
        const operation = findOperation(v2, call.route.method, call.route.template);
        return operation ? successSchemas(operation) : [];
      }));
      roots.set(step.resource, entry);
    }
  }
  const problems: MappingProblem[] = [];
  for (const [name, resource] of table.resources) {
    const places = roots.get(name);
    if (!places) continue;
    resource.rules.forEach((rule, index) => {
      const checks: Array<[string, Schema[], string]> = rule.reads.map((field) => [field, places.v1, 'v1']);
      if (rule.writes.join() !== rule.reads.join()) checks.push(...rule.writes.map((field): [string, Schema[], string] => [field, places.v2, 'v2']));
      for (const [field, schemas, version] of checks) {
        if (!schemas.length || fieldSomewhere(schemas, field)) continue;
        problems.push({ pointer: `/resources/${name}/${index}`, message: `resource ${name}: \`${field}\` is no field of any ${version} message the resource is applied to${fieldHint(schemas, field)}` });
      }
    });
  }
  return problems;
}

function hint(spec: SpecDocument, path: string): string {
  const close = closestWord(path, spec.operations.map((operation) => operation.path));
  return close ? `; did you mean ${close}?` : '';
}

function checkSteps(steps: CompiledStep[], stage: 'request' | 'response', v1: SpecOperation, v2: SpecOperation): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const step of steps) {
    if (step.op === 'fn' || step.op === 'resource') continue;
    const places = [...step.reads, ...step.writes];
    for (const place of places) {
      if (placeKnown(place, stage, v1, v2)) continue;
      problems.push({ pointer: step.pointer, message: `${step.op}: \`${place}\` is not in the v1 or v2 ${stage} of ${v1.method} ${v1.path} / ${v2.method} ${v2.path}` });
    }
  }
  return problems;
}

function placeKnown(place: string, stage: 'request' | 'response', v1: SpecOperation, v2: SpecOperation): boolean {
  const [section, ...rest] = place.split('.');
  const key = rest.join('.');
  if (section === 'status' || section === 'method' || section === 'path' || !key && section !== 'body') return true;
  if (section === 'headers') return true; // headers are open-ended: the gateway adds its own, v2 may send undocumented ones.
  if (stage === 'request' && (section === 'query' || section === 'params')) {
    const location = section === 'query' ? 'query' : 'path';
    return [v1, v2].some((operation) => operation.parameters.some((p) => p.in === location && parameterPath(p) === `${section}.${key}`));
  }
  if (section !== 'body') return true;
  const schemas = stage === 'request' ? [...requestSchemas(v1), ...requestSchemas(v2)] : [...successSchemas(v1), ...successSchemas(v2)];
  if (!schemas.length) return true;
  return key === '' || schemas.some((schema) => schemasAt(schema, key).length > 0);
}

function requestSchemas(operation: SpecOperation): Schema[] {
  const media = operation.requestBody ? jsonMedia(operation.requestBody.content) : undefined;
  return media ? [media[1]] : [];
}

function successSchemas(operation: SpecOperation): Schema[] {
  return Object.entries(operation.responses)
    .filter(([status]) => /^2/.test(status))
    .flatMap(([, response]) => {
      const media = jsonMedia(response.content);
      return media ? [media[1]] : [];
    });
}

/** Whether some object schema within the roots has the field path (`metadata.tags`, `related_ids[]`). */
function fieldSomewhere(roots: Schema[], field: string): boolean {
  return objectSchemas(roots).some((schema) => schemasAt(schema, field).length > 0 && isRecord(schema.properties));
}

function fieldHint(roots: Schema[], field: string): string {
  const names = new Set(objectSchemas(roots).flatMap((schema) => Object.keys(propertiesOf(schema))));
  const close = closestWord(field.split('.')[0]!.replace(/\[\]$/, ''), names);
  return close ? `; did you mean \`${close}\`?` : '';
}

function objectSchemas(roots: Schema[]): Schema[] {
  const found: Schema[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown) => {
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    if (isRecord(node.properties)) found.push(node);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else visit(value);
    }
  };
  roots.forEach(visit);
  return found;
}

function dedupe(problems: MappingProblem[]): MappingProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.pointer} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type { CompiledEndpoint };
