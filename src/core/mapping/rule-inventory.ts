import { parsePattern, PatternSyntaxError, type PathPattern } from '../compare/path-pattern.js';
import type { MappingDocument } from '../model/mapping.js';
import { isRecord, parseFieldPath, parseMessagePath, PathSyntaxError, type ValuePath } from '../transform/path.js';
import { hasPlaceholder } from '../transform/template.js';
import type { CompiledEndpoint, CompiledErrorRule, CompiledStep, CompiledTable } from './compiled.js';

/**
 * What the checker needs to know about a mapping beyond running it: which rules exist (to list
 * the ones no scenario exercised), which response values the mapping declares outright (a
 * constant, a removal: a difference there is the author's decision, hence explained), and where
 * resources with lossy rules apply (rounding there is declared too).
 */
export interface RuleRef {
  pointer: string;
  op: string;
  description: string;
}

/** A step that decides a v1 response value by itself: `set`/`default` of a constant, `remove`, a fixed `status`. */
export interface DeclaredValue extends RuleRef {
  pattern: PathPattern;
  /**
   * A `default`: it writes only where the message has no value, so it accounts for a value only
   * where v1 had none either. Where v1 had one, the constant stands in for v1 data v2 no longer
   * sends: lost data, not a declared change.
   */
  onlyWhereV1Absent?: boolean;
  /** From an error rule: it shapes error answers only. */
  errorRule?: boolean;
}

export interface ResourceStep {
  pointer: string;
  stage: 'request' | 'response';
  at: ValuePath;
  resource: string;
}

export interface ResourceRule extends RuleRef {
  /** The field on the v1 side; the rule is exercised when a v1 message has it where the resource applies. */
  v1Field?: ValuePath;
  lossy: boolean;
  /** Largest difference rounding can make, in v1 units (lossy numeric rules only). */
  rounding?: number;
}

export interface EndpointRules {
  /** The endpoint's own steps and supporting calls (a merge is traced under its call's pointer). */
  rules: RuleRef[];
  resourceSteps: ResourceStep[];
  declared: DeclaredValue[];
}

export interface RuleInventory {
  endpoints: ReadonlyMap<string, EndpointRules>;
  /** Mapping-wide error rules' steps. */
  errorRules: RuleRef[];
  errorDeclared: DeclaredValue[];
  resources: ReadonlyMap<string, ResourceRule[]>;
}

export function buildRuleInventory(table: CompiledTable, document: MappingDocument): RuleInventory {
  const endpoints = new Map<string, EndpointRules>();
  for (const endpoint of table.endpoints) endpoints.set(endpoint.id, endpointRules(endpoint, document));
  const errorSteps = table.errors.flatMap((rule) => rule.steps);
  const resources = new Map<string, ResourceRule[]>();
  for (const [name, resource] of table.resources) {
    resources.set(
      name,
      resource.rules.map((rule, index) => {
        const pointer = `/resources/${escape(name)}/${index}`;
        const args = opArguments(valueAt(document, pointer), rule.op);
        return {
          pointer,
          op: rule.op,
          description: rule.description,
          v1Field: fieldPath(rule.reads[0]),
          lossy: rule.lossy,
          rounding: rule.op === 'scale' && rule.lossy ? scaleRounding(args) : undefined,
        };
      }),
    );
  }
  return { endpoints, errorRules: errorSteps.map(ref), errorDeclared: declaredValues(errorSteps, document, true), resources };
}

function endpointRules(endpoint: CompiledEndpoint, document: MappingDocument): EndpointRules {
  const errorSteps = endpoint.errors.flatMap((rule: CompiledErrorRule) => rule.steps);
  const callSteps = endpoint.calls.flatMap((call) => call.response);
  const rules: RuleRef[] = [
    ...endpoint.request.map(ref),
    ...endpoint.calls.flatMap((call) => [{ pointer: call.pointer, op: 'call', description: call.description ?? `supporting call ${call.route.method} ${call.route.template}` }, ...call.response.map(ref)]),
    ...endpoint.response.map(ref),
    ...errorSteps.map(ref),
  ];
  const resourceSteps: ResourceStep[] = [];
  const collectResources = (steps: CompiledStep[], stage: ResourceStep['stage']) => {
    for (const step of steps) {
      if (step.op !== 'resource') continue;
      const args = opArguments(valueAt(document, step.pointer), 'resource');
      if (typeof args.at !== 'string' || typeof args.is !== 'string') continue;
      resourceSteps.push({ pointer: step.pointer, stage, at: parseMessagePath(args.at), resource: args.is });
    }
  };
  collectResources(endpoint.request, 'request');
  collectResources([...endpoint.response, ...callSteps, ...errorSteps], 'response');
  return { rules, resourceSteps, declared: [...declaredValues([...endpoint.response, ...callSteps], document), ...declaredValues(errorSteps, document, true)] };
}

function declaredValues(steps: readonly CompiledStep[], document: MappingDocument, errorRule = false): DeclaredValue[] {
  const declared: DeclaredValue[] = [];
  for (const step of steps) {
    let paths: string[] = [];
    if (step.op === 'remove') paths = step.reads;
    else if (step.op === 'status' && step.lossy) paths = ['status'];
    else if (step.op === 'set' || step.op === 'default') {
      // A template reproduces a v1 value from v2 data: a difference there means it failed.
      if (!hasPlaceholder(opArguments(valueAt(document, step.pointer), step.op).value)) paths = step.writes;
    }
    for (const path of paths) {
      const pattern = patternOf(path);
      if (pattern) declared.push({ ...ref(step), pattern, ...(step.op === 'default' ? { onlyWhereV1Absent: true } : {}), ...(errorRule ? { errorRule: true } : {}) });
    }
  }
  return declared;
}

function ref(step: CompiledStep): RuleRef {
  return { pointer: step.pointer, op: step.op, description: step.description };
}

function patternOf(path: string): PathPattern | undefined {
  try {
    return parsePattern(path);
  } catch (error) {
    if (error instanceof PatternSyntaxError) return undefined;
    throw error;
  }
}

function fieldPath(text: string | undefined): ValuePath | undefined {
  if (!text) return undefined;
  try {
    return parseFieldPath(text);
  } catch (error) {
    if (error instanceof PathSyntaxError) return undefined;
    throw error;
  }
}

/** A rounding scale maps integers to integers, so rounding moves a v1 value by at most one. */
function scaleRounding(args: Record<string, unknown>): number {
  const ranges = [args.v1, args.v2].flat();
  const round = typeof args.round === 'boolean' ? args.round : ranges.every((n) => Number.isInteger(n));
  return round ? 1 : 0;
}

function opArguments(step: unknown, op: string): Record<string, unknown> {
  if (!isRecord(step)) return {};
  const args = step[op];
  return isRecord(args) ? args : { value: args };
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The node of a parsed document at an RFC 6901 pointer. */
export function valueAt(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let node = document;
  for (const part of pointer.slice(1).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else return undefined;
  }
  return node;
}
