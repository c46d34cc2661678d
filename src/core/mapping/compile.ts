import { pointerOf, type Diagnostic } from '../model/diagnostic.js';
import type { CallDocument, EndpointDocument, ErrorRuleDocument, MappingDocument, StepDocument } from '../model/mapping.js';
import type { FunctionResolver } from '../ports.js';
import { CONVERSIONS, converterFor, type Conversion } from '../transform/convert.js';
import type { CompileContext, CompiledResource, Direction, OpLevel } from '../transform/op.js';
import { parseFieldPath, parseMessagePath, PathSyntaxError } from '../transform/path.js';
import { OPS } from '../transform/registry.js';
import { closestWord } from '../spelling.js';
import { compileCondition, ConditionError, type CompiledCondition, type ConditionSubject } from '../transform/condition.js';
import { isRecord } from '../transform/path.js';
import { compilePaging, PagingError, type CompiledPaging } from '../transform/paging.js';
import { compileCors, compileRender, PolicyError, type RenderPolicy } from './http-policy.js';
import { compileUpstreamHeaders, DEFAULT_UPSTREAM_HEADERS, type UpstreamHeaderPolicy } from './upstream-header-policy.js';
import { compileTemplate, templateReferences, TemplateError, type Template } from '../transform/template.js';
import { compileJoin } from '../transform/join.js';
import { compileReference, RESERVED_SCOPES, responseScopeOf } from '../transform/reference.js';
import { transferAcross } from '../transform/transfer.js';
import type { CompiledCall, CompiledEndpoint, ExchangeHandler, CompiledErrorRule, CompiledJoin, CompiledMerge, CompiledStep, CompiledTable, Lifecycle } from './compiled.js';
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
  const compileSteps = (steps: StepDocument[] | undefined, pointer: string, direction: Direction, endpointId: string, paging?: CompiledPaging | 'invalid') =>
    compileStepList(steps ?? [], pointer, { level: 'step', direction, resources, resolveFunction, endpointId, ...(paging ? { paging } : {}) }, error);

  const errors = (document.errors ?? []).map((rule, i) => compileErrorRule(rule, pointerOf('errors', i), '*', compileSteps, error));
  const render = compilePolicy(() => compileRender(document.render), pointerOf('render'), error) ?? { indent: 0 };
  const cors = compilePolicy(() => compileCors(document.cors), pointerOf('cors'), error);
  const upstreamHeaders = compilePolicy(() => compileUpstreamHeaders(document.upstreamHeaders), pointerOf('upstreamHeaders'), error) ?? DEFAULT_UPSTREAM_HEADERS;
  const endpoints: CompiledEndpoint[] = [];
  const seenIds = new Map<string, number>();
  document.endpoints.forEach((endpoint, index) => {
    const pointer = pointerOf('endpoints', index);
    if (seenIds.has(endpoint.id)) error(`${pointer}/id`, `endpoint id "${endpoint.id}" is already used by endpoint ${seenIds.get(endpoint.id)}; ids must be unique`);
    seenIds.set(endpoint.id, index);
    const compiled = compileEndpoint(endpoint, pointer, document, compileSteps, resolveFunction, error);
    if (compiled) {
      compiled.render = compilePolicy(() => compileRender(endpoint.render, render), `${pointer}/render`, error) ?? render;
      // The bytes `render:` decides (their spacing, Content-Type and ETag) exist only once the
      // gateway holds the body: such an endpoint cannot stream its answers through untouched.
      if (rendersBody(compiled.render)) compiled.readsResponseBody = true;
      const policy = compilePolicy(() => compileUpstreamHeaders(endpoint.upstreamHeaders, upstreamHeaders), `${pointer}/upstreamHeaders`, error);
      if (policy) {
        compiled.upstreamHeaders = policy;
        checkHeaderReads(compiled, policy, error);
      }
    }
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
      gatewayErrors: document.gatewayErrors ?? 'problem',
      render,
      ...(cors ? { cors } : {}),
      ...(document.publicUrl ? { publicUrl: document.publicUrl.replace(/\/+$/, '') } : {}),
    },
  };
}

type ReportError = (pointer: string, message: string) => void;
type StepCompiler = (steps: StepDocument[] | undefined, pointer: string, direction: Direction, endpointId: string, paging?: CompiledPaging | 'invalid') => CompiledStep[];

/**
 * A request step (or call) reading `headers.x` sees the v2 request, which holds only the client
 * headers the policy forwards: a read of one it keeps from v2 would always find nothing.
 */
function checkHeaderReads(endpoint: CompiledEndpoint, policy: UpstreamHeaderPolicy, error: ReportError): void {
  const readers = [...endpoint.request.map((step) => ({ pointer: step.pointer, reads: [...step.reads, ...(step.when?.reads ?? [])] })), ...endpoint.calls.map((call) => ({ pointer: call.pointer, reads: call.reads }))];
  for (const { pointer, reads } of readers) {
    const name = reads.map((path) => (path.startsWith('headers.') ? path.slice('headers.'.length).toLowerCase() : undefined)).find((header) => header !== undefined && !policy.forwards(header));
    if (name) {
      error(pointer, `this step reads headers.${name}, which upstreamHeaders keeps from v2 requests, so it would always find nothing; read request.headers.${name} (the v1 request as the client sent it), or allow ${name} in upstreamHeaders`);
    }
  }
}

/** Whether a render policy changes the bytes or headers of a 2xx body (anything but compact JSON as v2 sent it). */
function rendersBody(policy: RenderPolicy): boolean {
  return policy.indent > 0 || policy.contentType !== undefined || policy.etag !== undefined;
}

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
  paging?: CompiledPaging | 'invalid';
}

function compileStepList(steps: StepDocument[], listPointer: string, list: StepListContext, error: ReportError): CompiledStep[] {
  const compiled: CompiledStep[] = [];
  steps.forEach((step, index) => {
    const pointer = `${listPointer}/${index}`;
    const keys = Object.keys(step).filter((key) => key !== 'description' && key !== 'when');
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
    if (step.when !== undefined && list.level === 'resource') {
      error(`${pointer}/when`, 'resource rules always apply (they must run both ways); put the conditional change in an endpoint step');
      return;
    }
    const when = step.when === undefined ? undefined : compileWhen(step.when, `${pointer}/when`, error);
    if (when === null) return;
    try {
      const op = spec.compile(step[opId], context);
      const unavailable = list.level === 'step' && list.direction === 'to-v1' ? [...op.reads, ...(when?.reads ?? [])].find(readsRequestOnlyPart) : undefined;
      if (unavailable) {
        error(`${pointer}/${opId}`, `${opId}: response steps see the v2 response (status, headers, body); "${unavailable}" is part of the request: read the v1 request as "request.${unavailable}" (read-only)`);
        return;
      }
      compiled.push({ ...op, pointer, note: typeof step.description === 'string' ? step.description : undefined, ...(when ? { when } : {}) });
    } catch (failure) {
      if (failure instanceof CompileFailure || failure instanceof PathSyntaxError || failure instanceof TemplateError) {
        error(`${pointer}/${opId}`, `${opId}: ${failure.message}`);
      } else throw failure;
    }
  });
  return compiled;
}

/**
 * An error rule applies to a non-2xx response when its `when:` holds: a status condition
 * (`status: ">=400"`) and any other condition over the response and the v1 request.
 */
function compileErrorRule(rule: ErrorRuleDocument, pointer: string, endpointId: string, compileSteps: StepCompiler, error: ReportError): CompiledErrorRule {
  const status = isRecord(rule.when) ? rule.when.status : undefined;
  const condition = status === undefined ? '' : String(status);
  const when = compileWhen(rule.when, `${pointer}/when`, error);
  return {
    pointer,
    description: rule.description,
    // Named by the status alone when that is all the condition says (`error 4xx` in traces).
    condition: when && Object.keys(rule.when).some((key) => key !== 'status') ? when.text : condition,
    applies: when ? (message, context) => when.test(message, context) : () => false,
    conditionReads: when?.reads ?? [],
    steps: compileSteps(rule.response, `${pointer}/response`, 'to-v1', endpointId),
  };
}

/** A `when:` compiled, or null (with a located error) when it is invalid. */
function compileWhen(document: unknown, pointer: string, error: ReportError, subject: ConditionSubject = 'exchange'): CompiledCondition | null {
  try {
    return compileCondition(document, subject);
  } catch (failure) {
    if (failure instanceof ConditionError) {
      error(`${pointer}${failure.at}`, failure.message);
      return null;
    }
    throw failure;
  }
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

function compileEndpoint(
  endpoint: EndpointDocument,
  pointer: string,
  document: MappingDocument,
  compileSteps: StepCompiler,
  resolveFunction: FunctionResolver,
  error: ReportError,
): CompiledEndpoint | undefined {
  const v1 = parseRouteAt(endpoint.v1, `${pointer}/v1`, error);
  const when = endpoint.when === undefined ? undefined : compileWhen(endpoint.when, `${pointer}/when`, error);
  if (endpoint.v2 && endpoint.removed) error(pointer, `endpoint "${endpoint.id}" has both v2 and removed; a removed endpoint has no v2 route`);
  if (!endpoint.v2 && !endpoint.removed) error(pointer, `endpoint "${endpoint.id}" needs either "v2: METHOD /path" or "removed: { replacement: ... }"`);
  const v2 = endpoint.v2 ? parseRouteAt(endpoint.v2, `${pointer}/v2`, error) : undefined;
  const paging = compileEndpointPaging(endpoint, pointer, error);
  const request = withPagingRequest(compileSteps(endpoint.request, `${pointer}/request`, 'to-v2', endpoint.id), paging, pointer);
  const response = withPagingResponse(compileSteps(endpoint.response, `${pointer}/response`, 'to-v1', endpoint.id, paging ?? (endpoint.paging !== undefined ? 'invalid' : undefined)), paging, pointer);
  const errors = (endpoint.errors ?? []).map((rule, i) => compileErrorRule(rule, `${pointer}/errors/${i}`, endpoint.id, compileSteps, error));
  const calls = (endpoint.calls ?? []).map((call, i) => compileCall(call, `${pointer}/calls/${i}`, endpoint.id, compileSteps, error));
  const callIds = new Set<string>();
  calls.forEach((call) => {
    if (!call) return;
    if (call.id === 'main' || callIds.has(call.id)) error(`${call.pointer}/id`, `call id "${call.id}" must be unique and not "main" (the endpoint's own v2 call)`);
    callIds.add(call.id);
  });
  checkCallOrder(calls.filter((call): call is CompiledCall => !!call), error);
  const handler = compileHandler(endpoint, pointer, resolveFunction, error);
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

  const touchesBody = (steps: CompiledStep[]) => steps.some((step) => step.op === 'fn' || [...step.reads, ...step.writes, ...(step.when?.reads ?? [])].some((path) => path.startsWith('body')));
  // Everything that reads the v1 request besides the request steps: it decides which query keys
  // count as supported and whether the v1 body must be kept for later stages.
  const laterReads = [
    ...[...request, ...response, ...errors.flatMap((rule) => rule.steps)].flatMap((step) => [...step.reads, ...(step.when?.reads ?? [])]),
    ...errors.flatMap((rule) => rule.conditionReads),
    ...(when?.reads ?? []),
    ...calls.flatMap((call) => call?.reads ?? []),
  ];
  const requestQueryKeys = laterReads.flatMap((path) => (path.startsWith('request.query.') ? [path.slice('request.query.'.length)] : []));
  const requestStepQueryKeys = request.flatMap((step) => step.reads.map(queryName).filter((name): name is string => !!name));
  // A key a request step writes (`set: { path: query.limit, value: "${request.query.limit|default:20}" }`)
  // is the v2 request's own, whatever the v1 request said under that name.
  const requestStepQueryWrites = request.flatMap((step) => step.writes.map(queryName).filter((name): name is string => !!name));
  const keepsRequestBody =
    handler !== undefined || [...response, ...errors.flatMap((rule) => rule.steps)].some((step) => step.op === 'fn') || laterReads.some((path) => path === 'request' || path.startsWith('request.body'));
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
    ...(when ? { when } : {}),
    v2,
    removed,
    unmappedQuery: endpoint.unmappedQuery ?? document.defaults?.unmappedQuery ?? 'pass',
    mappedQuery: new Set([...requestStepQueryKeys, ...requestQueryKeys]),
    consumedQuery: new Set(requestQueryKeys.filter((key) => !requestStepQueryKeys.includes(key) && !requestStepQueryWrites.includes(key))),
    request,
    response,
    errors,
    calls: calls.filter((call): call is CompiledCall => !!call),
    ...(handler ? { handler } : {}),
    render: { indent: 0 },
    upstreamHeaders: DEFAULT_UPSTREAM_HEADERS,
    keepsRequestBody,
    readsRequestBody: touchesBody(request) || keepsRequestBody,
    readsResponseBody: touchesBody(response) || calls.length > 0 || handler !== undefined,
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
  if (RESERVED_SCOPES.has(call.id)) error(`${pointer}/id`, `"${call.id}" cannot name a call: templates read "${call.id}.…" as something else; choose another id`);
  const templates = (record: Record<string, unknown> | undefined, key: string): Array<[string, Template]> =>
    Object.entries(record ?? {}).flatMap(([name, value]): Array<[string, Template]> => {
      try {
        return [[name, compileTemplate(value)]];
      } catch (failure) {
        error(`${pointer}/${key}/${name}`, failure instanceof Error ? failure.message : String(failure));
        return [];
      }
    });
  const merges = (call.merge ?? []).flatMap((merge, i): CompiledMerge[] => {
    try {
      return [compileMerge(merge, call.forEach !== undefined)];
    } catch (failure) {
      error(`${pointer}/merge/${i}`, failure instanceof Error ? failure.message : String(failure));
      return [];
    }
  });
  const joins = (call.join === undefined ? [] : Array.isArray(call.join) ? call.join : [call.join]).flatMap((join, i): CompiledJoin[] => {
    try {
      return [compileJoin(join, call.id)];
    } catch (failure) {
      error(`${pointer}/join${Array.isArray(call.join) ? `/${i}` : ''}`, failure instanceof Error ? failure.message : String(failure));
      return [];
    }
  });
  const when = call.when === undefined ? undefined : compileWhen(call.when, `${pointer}/when`, error);
  let forEach: CompiledCall['forEach'];
  if (call.forEach !== undefined) {
    try {
      const reference = compileReference(call.forEach);
      forEach = {
        text: reference.text,
        read: reference.read,
        fromRequest: reference.scope === 'request',
        concurrency: call.concurrency ?? 4,
        max: call.max ?? 100,
      };
    } catch (failure) {
      error(`${pointer}/forEach`, failure instanceof Error ? failure.message : String(failure));
    }
  }
  if (!route) return undefined;
  let body: Template | undefined;
  try {
    body = call.body === undefined ? undefined : compileTemplate(call.body);
  } catch (failure) {
    error(`${pointer}/body`, failure instanceof Error ? failure.message : String(failure));
  }
  // A call waits for the responses its templates, condition or list read, and for `after`.
  const references = [...templateReferences([call.params, call.query, call.body]), ...(when?.reads ?? []), ...(call.forEach ? [call.forEach] : [])];
  const after = new Set(call.after ?? []);
  for (const reference of references) {
    const scope = responseScopeOf(reference);
    if (scope) after.add(scope);
  }
  return {
    id: call.id,
    description: call.description,
    route,
    afterMain: after.has('main'),
    after: [...after],
    ...(when ? { when } : {}),
    ...(forEach ? { forEach } : {}),
    optional: call.optional ?? false,
    params: templates(call.params, 'params'),
    query: templates(call.query, 'query'),
    body,
    response: compileSteps(call.response, `${pointer}/response`, 'to-v1', endpointId),
    merges,
    joins,
    reads: references,
    pointer,
  };
}

/** `{ from: <path in the call's response>, to: <path in the main response, or item.… for forEach> }`. */
function compileMerge(merge: { from: string; to: string; as?: string }, perItem: boolean): CompiledMerge {
  const from = parseMessagePath(merge.from);
  const intoItem = merge.to.startsWith('item.');
  if (intoItem && !perItem) throw new PathSyntaxError(merge.to, '"item.…" is the element a forEach call is made for; this call has no forEach');
  const to = intoItem ? parseFieldPath(merge.to.slice('item.'.length)) : parseMessagePath(merge.to);
  if (from.wildcards !== to.wildcards) throw new PathSyntaxError(merge.to, `needs as many [] as "${merge.from}"`);
  if (merge.as !== undefined && !CONVERSIONS.includes(merge.as as Conversion)) throw new PathSyntaxError(merge.from, `"as" must be one of ${CONVERSIONS.join(', ')}`);
  const convert = merge.as ? converterFor(merge.as as Conversion) : undefined;
  return {
    from,
    to: intoItem ? { ...to, text: merge.to } : to,
    apply: intoItem
      ? (source, target, context) => {
          transferAcross(source, context?.item, from, to, { convert, keepSource: true });
          return target;
        }
      : (source, target) => transferAcross(source, target, from, to, { convert, keepSource: true }),
  };
}

function compilePolicy<T>(compile: () => T, pointer: string, error: ReportError): T | undefined {
  try {
    return compile();
  } catch (failure) {
    if (failure instanceof PolicyError) {
      error(`${pointer}${failure.at}`, failure.message);
      return undefined;
    }
    throw failure;
  }
}

function compileEndpointPaging(endpoint: EndpointDocument, pointer: string, error: ReportError): CompiledPaging | undefined {
  if (endpoint.paging === undefined) return undefined;
  try {
    return compilePaging(endpoint.paging);
  } catch (failure) {
    if (failure instanceof PagingError || failure instanceof PathSyntaxError) {
      error(`${pointer}/paging${failure instanceof PagingError ? failure.at : ''}`, `paging: ${failure.message}`);
      return undefined;
    }
    throw failure;
  }
}

/** The request side of `paging:` runs after the request steps: v1's paging parameters become v2's. */
function withPagingRequest(steps: CompiledStep[], paging: CompiledPaging | undefined, pointer: string): CompiledStep[] {
  if (!paging) return steps;
  const step: CompiledStep = {
    op: 'paging',
    description: paging.description,
    apply: (root, context) => paging.toV2(root, context),
    lossy: false,
    reads: paging.v1Names.map((name) => `query.${name}`),
    writes: paging.v2Names.map((name) => `query.${name}`),
    pointer: `${pointer}/paging`,
  };
  return [...steps, step];
}

/** The response side runs where a `paginate` step stands, or first. */
function withPagingResponse(steps: CompiledStep[], paging: CompiledPaging | undefined, pointer: string): CompiledStep[] {
  if (!paging || steps.some((step) => step.op === 'paginate')) return steps;
  const step: CompiledStep = {
    op: 'paginate',
    description: paging.description,
    apply: (root, context) => paging.toV1(root, context),
    lossy: true,
    reads: [paging.items.text],
    writes: [paging.items.text, 'headers.link'],
    pointer: `${pointer}/paging`,
  };
  return [step, ...steps];
}

/** `after:` names calls of the same endpoint (or main), and calls never wait on each other in a circle. */
function checkCallOrder(calls: CompiledCall[], error: ReportError): void {
  const byId = new Map(calls.map((call) => [call.id, call]));
  for (const call of calls) {
    for (const id of call.after) {
      if (id !== 'main' && !byId.has(id)) error(`${call.pointer}/after`, `call "${call.id}" waits for "${id}", which is not a call of this endpoint; calls: main${calls.map((c) => `, ${c.id}`).join('')}`);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (call: CompiledCall, chain: string[]): void => {
    if (state.get(call.id) === 'done') return;
    if (state.get(call.id) === 'visiting') {
      error(`${call.pointer}/after`, `calls wait on each other in a circle: ${[...chain, call.id].join(' -> ')}`);
      return;
    }
    state.set(call.id, 'visiting');
    for (const id of call.after) {
      const next = byId.get(id);
      if (next) visit(next, [...chain, call.id]);
    }
    state.set(call.id, 'done');
  };
  calls.forEach((call) => visit(call, []));
}

function compileHandler(endpoint: EndpointDocument, pointer: string, resolveFunction: FunctionResolver, error: ReportError): CompiledEndpoint['handler'] {
  if (endpoint.handler === undefined) return undefined;
  if (!/^.+#[A-Za-z_$][\w$]*$/.test(endpoint.handler)) {
    error(`${pointer}/handler`, 'expects "./module.ts#exportName"');
    return undefined;
  }
  if (!endpoint.v2) {
    error(`${pointer}/handler`, 'a handler needs the endpoint\'s "v2" route: it receives the translated v2 request');
    return undefined;
  }
  const run = resolveFunction(endpoint.handler) as ExchangeHandler | undefined;
  if (!run) {
    error(`${pointer}/handler`, `"${endpoint.handler}" was not found: the module must export an async function named after the #`);
    return undefined;
  }
  return { reference: endpoint.handler, run, maxCalls: endpoint.maxCalls ?? 10 };
}

/**
 * Endpoints are tried in table order. Several may serve one v1 route as variants told apart by
 * `when:`; an endpoint that an earlier one always takes first can never be reached.
 */
function checkRouteOrder(endpoints: CompiledEndpoint[], error: ReportError): void {
  endpoints.forEach((later, j) => {
    const earlier = endpoints.slice(0, j).find((candidate) => shadows(candidate.v1, later.v1) && (!candidate.when || candidate.when.text === later.when?.text));
    if (!earlier) return;
    const same = sameRoute(earlier.v1, later.v1) || shadows(later.v1, earlier.v1);
    if (same && earlier.when) {
      error(`${later.pointer}/when`, `endpoint "${later.id}" can never be reached: variant "${earlier.id}" above it has the same route and the same condition ${earlier.when.text}`);
    } else if (same && later.when) {
      error(`${later.pointer}/when`, `variant "${later.id}" can never be reached: "${earlier.id}" above it serves ${earlier.v1.method} ${earlier.v1.template} without a condition; move "${earlier.id}" below its variants, as the fallback`);
    } else if (same) {
      error(`${later.pointer}/v1`, `${later.v1.method} ${later.v1.template} is already mapped by endpoint "${earlier.id}"; each v1 route is mapped once, or several times as variants with "when:" conditions`);
    } else {
      error(`${later.pointer}/v1`, `endpoint "${later.id}" can never be reached: "${earlier.id}" (${earlier.v1.method} ${earlier.v1.template}) above it matches every request it would; move "${later.id}" above "${earlier.id}"`);
    }
  });
}

function sameRoute(a: Route, b: Route): boolean {
  return a.method === b.method && a.template === b.template;
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
