import type { CompiledEndpoint, CompiledStep, CompiledTable } from '../mapping/compiled.js';
import type { EndpointDocument, MappingDocument, StepDocument } from '../model/mapping.js';
import type { CompatReport, Verdict } from '../model/report.js';

/**
 * A migration guide per endpoint, built from the mapping alone (and, when given, a report's
 * verdicts): every sentence comes from an author's `description` or from the op that does the
 * work, so the guide cannot drift from what the gateway actually does.
 */
export interface GuideChange {
  text: string;
  /** The op cannot give a v1 client back everything v2 holds (e.g. a rounding scale). */
  lossy: boolean;
}

export interface ResourceGuide {
  name: string;
  changes: GuideChange[];
}

export interface EndpointGuide {
  id: string;
  v1: string;
  v2?: string;
  description?: string;
  removed?: { status: number; replacement?: string; message: string };
  request: GuideChange[];
  response: GuideChange[];
  errors: GuideChange[];
  calls: GuideChange[];
  resources: ResourceGuide[];
  readiness?: { verdict: Verdict; score: number; unexplained: number };
}

export interface MappingGuide {
  name: string;
  description?: string;
  lifecycle: { deprecation?: string; sunset?: string; guide?: string };
  endpoints: EndpointGuide[];
  /** Error rules every endpoint shares. */
  errors: GuideChange[];
  reportedAt?: string;
}

export function buildGuide(table: CompiledTable, document: MappingDocument, report?: CompatReport): MappingGuide {
  const readiness = new Map(report?.endpoints.map((endpoint) => [endpoint.id, endpoint]) ?? []);
  return {
    name: table.name,
    description: table.description,
    lifecycle: {
      deprecation: table.lifecycle.deprecation?.toISOString().slice(0, 10),
      sunset: table.lifecycle.sunset?.toISOString().slice(0, 10),
      guide: table.lifecycle.guide,
    },
    endpoints: table.endpoints.map((endpoint) => {
      const result = readiness.get(endpoint.id);
      return {
        ...endpointChanges(table, endpoint, document.endpoints.find((candidate) => candidate.id === endpoint.id)),
        readiness: result ? { verdict: result.verdict, score: result.score, unexplained: result.unexplained } : undefined,
      };
    }),
    errors: table.errors.flatMap((rule) => (rule.description ? [{ text: `Status \`${rule.condition}\`: ${rule.description}`, lossy: false }] : rule.steps.map(change))),
    reportedAt: report?.run.finishedAt,
  };
}

function endpointChanges(table: CompiledTable, endpoint: CompiledEndpoint, written: EndpointDocument | undefined): Omit<EndpointGuide, 'readiness'> {
  const v1 = `${endpoint.v1.method} ${endpoint.v1.template}`;
  const v2 = endpoint.v2 ? `${endpoint.v2.method} ${endpoint.v2.template}` : undefined;
  const route: GuideChange[] = v2 && v2 !== v1 ? [{ text: `Call \`${v2}\` instead of \`${v1}\`.`, lossy: false }] : [];
  const resourceNames = new Set([...(written?.request ?? []), ...(written?.response ?? [])].map(resourceNamed).filter((name): name is string => !!name));
  return {
    id: endpoint.id,
    v1,
    v2,
    description: endpoint.description,
    removed: endpoint.removed,
    request: [...route, ...endpoint.request.map(change)],
    response: endpoint.response.map(change),
    errors: endpoint.errors.flatMap((rule) => (rule.description ? [{ text: `Status \`${rule.condition}\`: ${rule.description}`, lossy: false }] : rule.steps.map(change))),
    calls: endpoint.calls.map((call) => ({
      text: `${call.description ? `${call.description} ` : ''}v2 serves part of this answer at \`${call.route.method} ${call.route.template}\`${call.optional ? ' (optional)' : ''}.`,
      lossy: false,
    })),
    resources: [...resourceNames]
      .filter((name) => table.resources.has(name))
      .map((name) => ({ name, changes: table.resources.get(name)!.rules.map((rule) => change(rule as CompiledStep)) })),
  };
}

/** The author's words when there are some, the op's own sentence otherwise. */
function change(step: CompiledStep): GuideChange {
  return { text: step.note ?? step.description, lossy: step.lossy && step.op !== 'remove' && step.op !== 'replace' && step.op !== 'status' };
}

function resourceNamed(step: StepDocument): string | undefined {
  const args = step.resource as { is?: unknown } | undefined;
  return typeof args?.is === 'string' ? args.is : undefined;
}
