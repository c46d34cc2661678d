import { pointerOf, type Diagnostic } from '../model/diagnostic.js';
import type { CallDocument, EndpointDocument, ErrorRuleDocument, MappingDocument, StepDocument } from '../model/mapping.js';
import type { FunctionResolver } from '../ports.js';
import { CONVERSIONS, converterFor, type Conversion } from '../transform/convert.js';
import type { CompileContext, CompiledResource, Direction, OpLevel } from '../transform/op.js';
import { parseFieldPath, parseMessagePath, PathSyntaxError } from '../transform/path.js';
import { OPS } from '../transform/registry.js';
import { closestWord } from '../spelling.js';
import { compileTemplate, templateReferences, TemplateError, type Template } from '../transform/template.js';
import { transferAcross } from '../transform/transfer.js';
import type { CompiledCall, CompiledEndpoint, CompiledErrorRule, CompiledStep, CompiledTable, Lifecycle } from './compiled.js';
import { parseRoute, RouteSyntaxError, shadows, type Route } from './route.js';

export interface CompileResult {
  table?: CompiledTable;
  diagnostics: Diagnostic[];
}

/** Raised inside op compilation; caught here and turned into a located diagnostic. */
class CompileFailure extends Error {}

const noFunctions: FunctionResolver = () => undefined;

/**
 * Compiles a validated mapping document into closures, once. Every problem becomes a
 * diagnostic with a JSON pointer; a table is returned only when there are no errors.
 */
export function compileMapping(document: MappingDocument, options: { resolveFunction?: FunctionResolver } = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const error = (pointer: string, message: string) => diagnostics.push({ severity: 'error', pointer, message });
  const resolveFunction = options.resolveFunction ?? noFunctions;

  const resources = compileResources(document, resolveFunction, error);
  const compileSteps = (steps: StepDocument[] | undefined, pointer: string, direction: Direction, endpointId: string) =>
    compileStepList(steps ?? [], pointer, { level: 'step', direction, resources, resolveFunction, endpointId }, error);

  const errors = (document.errors ?? []).map((rule, i) => compileErrorRule(rule, pointerOf('errors', i), '*', compileSteps, error));
  const endpoints: CompiledEndpoint[] = [];
  const seenIds = new Map<string, number>();
  document.endpoints.forEach((endpoint, index) => {
    const pointer = pointerOf('endpoints', index);
    if (seenIds.has(endpoint.id)) error(`${pointer}/id`, `endpoint id "${endpoint.id}" is already used by endpoint ${seenIds.get(endpoint.id)}; ids must be unique`);
    seenIds.set(endpoint.id, index);
    const compiled = compileEndpoint(endpoint, pointer, document, compileSteps, error);
    if (compiled) endpoints.push(compiled);
  });
  checkRouteOrder(endpoints, error);
  const lifecycle = compileLifecycle(document, error);

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return {
    diagnostics,
    table: {
      name: document.name,
      description: document.description,
      upstream: document.upstream,
      legacy: document.legacy || undefined,
      lifecycle,
      resources,
      endpoints,
      errors,
    },
  };
}

type ReportError = (pointer: string, message: string) => void;
type StepCompiler = (steps: StepDocument[] | undefined, pointer: string, direction: Direction, endpointId: string) => CompiledStep[];

function compileResources(document: MappingDocument, resolveFunction: FunctionResolver, error: ReportError): Map<string, CompiledResource> {
  const resources = new Map<string, CompiledResource>();
  for (const [name, rules] of Object.entries(document.resources ?? {})) {
    const pointer = pointerOf('resources', name);
    const compiled = compileStepList(rules, pointer, { level: 'resource', direction: 'to-v2', resources, resolveFunction, endpointId: name }, error);
    compiled.forEach((rule) => {
      if (!rule.undo) error(rule.pointer, `"${rule.op}" cannot be reversed, so it cannot be a resource rule (resource rules run v1→v2 on requests and v2→v1 on responses); put it in an endpoint's request or response steps`);
    });
    const toV2 = (value: unknown) => compiled.reduce((current, rule) => rule.apply(current), value);
    const reversed = [...compiled].reverse();
    const toV1 = (value: unknown) => reversed.reduce((current, rule) => (rule.undo ? rule.undo(current) : current), value);
    resources.set(name, { name, rules: compiled, toV2, toV1 });
  }
  return resources;
}

interface StepListContext {
  level: OpLevel;
  direction: Direction;
  resources: ReadonlyMap<string, CompiledResource>;
  resolveFunction: FunctionResolver;
  endpointId: string;
}

function compileStepList(steps: StepDocument[], listPointer: string, list: StepListContext, error: ReportError): CompiledStep[] {
  const compiled: CompiledStep[] = [];
  steps.forEach((step, index) => {
    const pointer = `${listPointer}/${index}`;
    const keys = Object.keys(step).filter((key) => key !== 'description');
    if (keys.length !== 1) {
      error(pointer, `a step names exactly one op, found ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'none'}; ops: ${[...OPS.keys()].join(', ')}`);
      return;
    }
    const opId = keys[0]!;
    const spec = OPS.get(opId);
    if (!spec) {
      const hint = closestWord(opId, OPS.keys());
      error(`${pointer}/${opId}`, `unknown op "${opId}"${hint ? `; did you mean "${hint}"?` : ''} Ops: ${[...OPS.keys()].join(', ')}`);
      return;
    }
    if (!spec.levels.includes(list.level)) {
      error(`${pointer}/${opId}`, list.level === 'resource'
        ? `"${opId}" is not a resource rule (resource rules must run both ways); use it in an endpoint's request or response steps`
        : `"${opId}" is only valid in resource rules`);
      return;
    }
    const context: CompileContext = {
      ...list,
      parsePath: list.level === 'resource' ? parseFieldPath : parseMessagePath,
      fail: (message: string): never => {
        throw new CompileFailure(message);
      },
    };
    try {
      const op = spec.compile(step[opId], context);
      const unavailable = list.level === 'step' && list.direction === 'to-v1' ? op.reads.find(readsRequestOnlyPart) : undefined;
      if (unavailable) {
        error(`${pointer}/${opId}`, `${opId}: response steps see the v2 response (status, headers, body); "${unavailable}" is part of the request. Copy it into the body or a header in a request step if v2 echoes it, or drop it`);
        return;
      }
      compiled.push({ ...op, pointer, note: typeof step.description === 'string' ? step.description : undefined });
    } catch (failure) {
      if (failure instanceof CompileFailure || failure instanceof PathSyntaxError || failure instanceof TemplateError) {
        error(`${pointer}/${opId}`, `${opId}: ${failure.message}`);
      } else throw failure;
    }
  });
  return compiled;
}

function compileErrorRule(rule: ErrorRuleDocument, pointer: string, endpointId: string, compileSteps: StepCompiler, error: ReportError): CompiledErrorRule {
  const condition = String(rule.when?.status ?? '');
  const matches = statusCondition(condition);
  if (!matches) error(`${pointer}/when/status`, `"${condition}" is not a status condition; write 404, ">=400", "4xx" or "500-599"`);
  return {
    pointer,
    description: rule.description,
    condition,
    matches: matches ?? (() => false),
    steps: compileSteps(rule.response, `${pointer}/response`, 'to-v1', endpointId),
  };
}

/** `404`, `">=400"`, `"<500"`, `"4xx"`, `"500-599"`. */
export function statusCondition(text: string): ((status: number) => boolean) | undefined {
  const trimmed = text.trim();
  let match: RegExpExecArray | null;
  if ((match = /^(\d{3})$/.exec(trimmed))) return (status) => status === Number(match![1]);
  if ((match = /^([1-5])xx$/i.exec(trimmed))) return (status) => Math.floor(status / 100) === Number(match![1]);
  if ((match = /^(>=|<=|>|<)\s*(\d{3})$/.exec(trimmed))) {
    const [, operator, bound] = match;
    const limit = Number(bound);
    return { '>=': (s: number) => s >= limit, '<=': (s: number) => s <= limit, '>': (s: number) => s > limit, '<': (s: number) => s < limit }[operator!];
  }
  if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(trimmed))) return (status) => status >= Number(match![1]) && status <= Number(match![2]);
  return undefined;
}

function parseRouteAt(text: string, pointer: string, error: ReportError): Route | undefined {
  try {
    return parseRoute(text);
  } catch (failure) {
    if (failure instanceof RouteSyntaxError) error(pointer, failure.message);
    else throw failure;
    return undefined;
  }
}

function compileEndpoint(endpoint: EndpointDocument, pointer: string, document: MappingDocument, compileSteps: StepCompiler, error: ReportError): CompiledEndpoint | undefined {
  const v1 = parseRouteAt(endpoint.v1, `${pointer}/v1`, error);
  if (endpoint.v2 && endpoint.removed) error(pointer, `endpoint "${endpoint.id}" has both v2 and removed; a removed endpoint has no v2 route`);
  if (!endpoint.v2 && !endpoint.removed) error(pointer, `endpoint "${endpoint.id}" needs either "v2: METHOD /path" or "removed: { replacement: ... }"`);
  const v2 = endpoint.v2 ? parseRouteAt(endpoint.v2, `${pointer}/v2`, error) : undefined;
  const request = compileSteps(endpoint.request, `${pointer}/request`, 'to-v2', endpoint.id);
  const response = compileSteps(endpoint.response, `${pointer}/response`, 'to-v1', endpoint.id);
  const errors = (endpoint.errors ?? []).map((rule, i) => compileErrorRule(rule, `${pointer}/errors/${i}`, endpoint.id, compileSteps, error));
  const calls = (endpoint.calls ?? []).map((call, i) => compileCall(call, `${pointer}/calls/${i}`, endpoint.id, compileSteps, error));
  const callIds = new Set<string>();
  calls.forEach((call) => {
    if (!call) return;
    if (call.id === 'main' || callIds.has(call.id)) error(`${call.pointer}/id`, `call id "${call.id}" must be unique and not "main" (the endpoint's own v2 call)`);
    callIds.add(call.id);
  });
  if (!v1) return undefined;

  const provided = paramsAfterRequestSteps(v1.params, request);
  for (const name of v2?.params ?? []) {
    if (!provided.has(name)) {
      error(`${pointer}/v2`, `the v2 path uses {${name}} but nothing provides it: the v1 path has no {${name}} (or a request step moved it away) and no request step writes params.${name}`);
    }
  }
  calls.forEach((call) => {
    for (const name of call?.route.params ?? []) {
      if (!provided.has(name) && !call!.params.some(([key]) => key === name)) {
        error(`${call!.pointer}/v2`, `call "${call!.id}" uses {${name}} but neither the v1 path nor its params provide it; add params: { ${name}: "\${main.body.…}" }`);
      }
    }
  });

  const touchesBody = (steps: CompiledStep[]) => steps.some((step) => step.op === 'fn' || [...step.reads, ...step.writes].some((path) => path.startsWith('body')));
  const removed = endpoint.removed
    ? {
        status: endpoint.removed.status ?? 410,
        replacement: endpoint.removed.replacement,
        message:
          endpoint.removed.message ??
          `${endpoint.v1} was removed${endpoint.removed.replacement ? `; use ${endpoint.removed.replacement} instead` : ''}.`,
      }
    : undefined;
  return {
    id: endpoint.id,
    description: endpoint.description,
    pointer,
    v1,
    v2,
    removed,
    unmappedQuery: endpoint.unmappedQuery ?? document.defaults?.unmappedQuery ?? 'pass',
    mappedQuery: new Set(request.flatMap((step) => step.reads.map(queryName).filter((name): name is string => !!name))),
    request,
    response,
    errors,
    calls: calls.filter((call): call is CompiledCall => !!call),
    readsRequestBody: touchesBody(request),
    readsResponseBody: touchesBody(response) || calls.length > 0,
  };
}

/** Response messages hold no method, path, params or query: a read of them would always be empty. */
function readsRequestOnlyPart(path: string): boolean {
  return /^(params|query|method|path)(\.|$)/.test(path);
}

/** Path parameters still present once the request steps ran: moves take theirs away. */
function paramsAfterRequestSteps(v1Params: string[], request: CompiledStep[]): Set<string> {
  const provided = new Set(v1Params);
  for (const step of request) {
    if (step.op === 'move' || step.op === 'rename' || step.op === 'remove') {
      for (const name of step.reads.map(paramName)) if (name) provided.delete(name);
    }
    for (const name of step.writes.map(paramName)) if (name) provided.add(name);
  }
  return provided;
}

function paramName(path: string): string | undefined {
  return path.startsWith('params.') ? path.slice('params.'.length) : undefined;
}

function queryName(path: string): string | undefined {
  return path.startsWith('query.') ? path.slice('query.'.length) : undefined;
}

function compileCall(call: CallDocument, pointer: string, endpointId: string, compileSteps: StepCompiler, error: ReportError): CompiledCall | undefined {
  const route = parseRouteAt(call.v2, `${pointer}/v2`, error);
  const templates = (record: Record<string, unknown> | undefined, key: string): Array<[string, Template]> =>
    Object.entries(record ?? {}).flatMap(([name, value]): Array<[string, Template]> => {
      try {
        return [[name, compileTemplate(value)]];
      } catch (failure) {
        error(`${pointer}/${key}/${name}`, failure instanceof Error ? failure.message : String(failure));
        return [];
      }
    });
  const merges = (call.merge ?? []).flatMap((merge, i) => {
    try {
      const from = parseMessagePath(merge.from);
      const to = parseMessagePath(merge.to);
      if (from.wildcards !== to.wildcards) throw new PathSyntaxError(merge.to, `needs as many [] as "${merge.from}"`);
      if (merge.as !== undefined && !CONVERSIONS.includes(merge.as as Conversion)) throw new PathSyntaxError(merge.from, `"as" must be one of ${CONVERSIONS.join(', ')}`);
      const convert = merge.as ? converterFor(merge.as as Conversion) : undefined;
      return [{ from, to, apply: (source: unknown, target: unknown) => transferAcross(source, target, from, to, { convert, keepSource: true }) }];
    } catch (failure) {
      error(`${pointer}/merge/${i}`, failure instanceof Error ? failure.message : String(failure));
      return [];
    }
  });
  if (!route) return undefined;
  const references = templateReferences([call.params, call.query, call.body]);
  let body: Template | undefined;
  try {
    body = call.body === undefined ? undefined : compileTemplate(call.body);
  } catch (failure) {
    error(`${pointer}/body`, failure instanceof Error ? failure.message : String(failure));
  }
  return {
    id: call.id,
    description: call.description,
    route,
    afterMain: references.some((reference) => reference.startsWith('main.')),
    optional: call.optional ?? false,
    params: templates(call.params, 'params'),
    query: templates(call.query, 'query'),
    body,
    response: compileSteps(call.response, `${pointer}/response`, 'to-v1', endpointId),
    merges,
    pointer,
  };
}

function checkRouteOrder(endpoints: CompiledEndpoint[], error: ReportError): void {
  endpoints.forEach((later, j) => {
    const earlier = endpoints.slice(0, j).find((candidate) => shadows(candidate.v1, later.v1));
    if (!earlier) return;
    const same = earlier.v1.template === later.v1.template || shadows(later.v1, earlier.v1);
    error(
      `${later.pointer}/v1`,
      same
        ? `${later.v1.method} ${later.v1.template} is already mapped by endpoint "${earlier.id}"; each v1 route is mapped once`
        : `endpoint "${later.id}" can never be reached: "${earlier.id}" (${earlier.v1.method} ${earlier.v1.template}) above it matches every request it would; move "${later.id}" above "${earlier.id}"`,
    );
  });
}

function compileLifecycle(document: MappingDocument, error: ReportError): Lifecycle {
  const lifecycle: Lifecycle = { guide: document.lifecycle?.guide };
  for (const key of ['deprecation', 'sunset'] as const) {
    const text = document.lifecycle?.[key];
    if (text === undefined || text === '') continue;
    const date = new Date(String(text));
    if (Number.isNaN(date.getTime())) error(pointerOf('lifecycle', key), `"${text}" is not a date; write 2026-06-01 or 2026-06-01T00:00:00Z`);
    else lifecycle[key] = date;
  }
  if (lifecycle.deprecation && lifecycle.sunset && lifecycle.sunset < lifecycle.deprecation) {
    error(pointerOf('lifecycle', 'sunset'), 'sunset is earlier than deprecation; RFC 8594 expects the sunset on or after the deprecation date');
  }
  return lifecycle;
}
