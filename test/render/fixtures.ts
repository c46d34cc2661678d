import {
  REPORT_VERSION,
  type CompatReport,
  type Difference,
  type DifferenceLabel,
  type EndpointResult,
  type LatencySummary,
  type ScenarioOutcome,
  type ScenarioResult,
} from '../../src/core/model/report.js';
import { rootCauses } from '../../src/core/report/root-causes.js';

/*
 * A realistic report of the bundled knowledge migration (v1 → v2 through the gateway), shaped the
 * way `api-compat check` writes it: endpoints sorted by id, scenarios by name, differences by
 * pointer. It fills every optional property somewhere, so the schema test can insist the schema
 * and the type describe the same fields, and it carries hostile strings where APIs under test
 * could inject them (values, error messages) and where users could (scenario names, tags).
 */

/** Strings a renderer must show as text and never interpret. */
export const HOSTILE = {
  script: '<script>window.__pwned = true</script>',
  imageOnError: '<img src=x onerror="window.__pwned = true">',
  quotes: `"quotes" and 'apostrophes'`,
  pipes: '|pipes| split | cells',
  cdataEnd: 'closes ]]> a CDATA section',
  emoji: 'rocket 🚀 check ✅ ünïcödé',
  newlines: 'line one\nline two\r\nline three',
  backticks: 'a `code` span and a ``` fence',
  markdown: '[click me](https://evil.example/phish) **bold** @octocat $x$',
  controlCharacters: 'bell\u0007 and escape\u001b end',
  entities: '&amp; &lt;b&gt; &#60;',
} as const;

/** Deterministic pseudo-random latencies (a linear congruential generator), so charts are stable. */
export function sampleLatencies(count: number, baseMs: number, spreadMs: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const unit = state / 2 ** 32;
    // Squaring skews toward the base with a long tail, like real response times.
    return Math.round((baseMs + unit * unit * spreadMs) * 100) / 100;
  });
}

/** Nearest-rank percentiles, as the checker's HDR histogram reports them (to its precision). */
export function latencySummary(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { samples: values.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1) ?? 0, values };
}

export function buildDifference(pointer: string, label: DifferenceLabel, fields: Partial<Difference> = {}): Difference {
  const reasons: Record<DifferenceLabel, string> = {
    explained: 'rule rename(content → body)',
    noise: 'differs between two v1 calls',
    unexplained: 'no mapping rule accounts for it',
  };
  return { pointer, label, reason: reasons[label], ...fields };
}

export function buildScenario(name: string, fields: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name,
    endpoints: [],
    tags: [],
    outcome: 'identical',
    differences: [],
    expectations: [],
    latency: {},
    statuses: {},
    ...fields,
  };
}

/** The counts in `summary` are derived from the scenarios, so a test that edits scenarios stays consistent. */
export function summarise(scenarios: ScenarioResult[]): Pick<CompatReport['summary'], 'scenarios' | 'differences'> {
  const outcomes: Record<ScenarioOutcome, number> = { identical: 0, equivalent: 0, different: 0, error: 0 };
  const labels: Record<DifferenceLabel, number> = { explained: 0, noise: 0, unexplained: 0 };
  for (const scenario of scenarios) {
    outcomes[scenario.outcome] += 1;
    for (const difference of scenario.differences) labels[difference.label] += 1;
  }
  return { scenarios: outcomes, differences: labels };
}

const FORMULA = [
  'endpoint score = 100 × (0.40 × coverage + 0.35 × fidelity + 0.15 × latency + 0.10 × error-rate)',
  'coverage = 1 when the endpoint is mapped or explicitly removed, else 0',
  'fidelity = scenarios identical or equivalent modulo noise / scenarios run',
  'latency = 1 when gateway p50 / v1 p50 ≤ threshold (2.0), else threshold / ratio',
  'error-rate = 1 − |gateway 5xx share − v1 5xx share|',
  'overall = scenario-count-weighted mean of endpoint scores; verdict blocked if any endpoint is blocked',
  'note: `|` and <angle brackets> are literal here',
].join('\n');

function knowledgeEndpoints(): EndpointResult[] {
  const components = (coverage: number, fidelity: number, latency: number, errorRate: number) => [
    { name: 'coverage' as const, value: coverage, weight: 0.4, detail: coverage === 1 ? 'mapped' : 'not mapped' },
    { name: 'fidelity' as const, value: fidelity, weight: 0.35, detail: `${Math.round(fidelity * 100)}% of scenarios identical or equivalent` },
    { name: 'latency' as const, value: latency, weight: 0.15, detail: 'gateway p50 / v1 p50 against threshold 2.0' },
    { name: 'error-rate' as const, value: errorRate, weight: 0.1, detail: 'no change in 5xx share' },
  ];
  return [
    {
      id: 'execute',
      v1: 'POST /execute',
      verdict: 'removed',
      score: 100,
      components: components(1, 1, 1, 1),
      scenarios: ['execute answers 410'],
      unexplained: 0,
      unexercisedRules: [],
    },
    {
      id: 'knowledge.get',
      v1: 'GET /api/v1/knowledge/{id}',
      v2: 'GET /api/v2/knowledge/{id}',
      verdict: 'ready-via-gateway',
      score: 96.4,
      components: components(1, 1, 0.76, 1),
      scenarios: ['get knowledge by id'],
      latencyRatio: 1.31,
      gatewayOverheadMs: 1.84,
      unexplained: 0,
      unexercisedRules: ['/endpoints/knowledge.get/response/errors/404'],
      breakingChanges: [
        { rule: 'response-property-renamed', level: 'error', where: 'response 200 body.content', message: 'property `content` is called `body` in v2', fingerprint: 'a7899faca5aaf47e', reason: "body must have required property 'content'" },
      ],
    },
    {
      id: 'knowledge.list',
      v1: 'GET /api/v1/knowledge',
      v2: 'GET /api/v2/knowledge',
      verdict: 'blocked',
      score: 54.25,
      components: components(1, 0, 0.82, 0.9),
      scenarios: [`list knowledge ${HOSTILE.script}`],
      latencyRatio: 2.45,
      gatewayOverheadMs: 3.1,
      unexplained: 2,
      warnings: ['latency ratio 2.45 is over the threshold 2, but only in 2 of 10 measured rounds'],
      unexercisedRules: ['/endpoints/knowledge.list/request/query/page|size', '/endpoints/knowledge.list/response/headers/x-total-count'],
    },
    {
      id: 'knowledge.update',
      v1: 'PUT /api/v1/knowledge/{id}',
      v2: 'PATCH /api/v2/knowledge/{id}',
      verdict: 'ready',
      score: 100,
      components: components(1, 1, 1, 1),
      scenarios: ['update knowledge'],
      latencyRatio: 0.94,
      gatewayOverheadMs: 0.72,
      unexplained: 0,
      unexercisedRules: [],
    },
    {
      id: 'search',
      v1: 'GET /api/v1/search',
      v2: 'POST /api/v2/search',
      verdict: 'blocked',
      score: 61.2,
      components: components(1, 0.5, 1, 0.5),
      scenarios: [`search ${HOSTILE.emoji}`, 'search times out'],
      latencyRatio: 1.12,
      gatewayOverheadMs: 2.05,
      unexplained: 3,
      unexercisedRules: [],
    },
    {
      id: 'tasks.get',
      v1: 'GET /tasks/{id}',
      v2: 'GET /api/v2/tasks/{id}',
      verdict: 'untested',
      score: 0,
      components: components(1, 0, 0, 0),
      scenarios: [],
      unexplained: 0,
      unexercisedRules: ['/endpoints/tasks.get/response/body/status'],
    },
  ];
}

function knowledgeScenarios(): ScenarioResult[] {
  const fullLatency = (seed: number, v1Base: number, ratio: number) => ({
    v1: latencySummary(sampleLatencies(40, v1Base, v1Base * 1.5, seed)),
    gateway: latencySummary(sampleLatencies(40, v1Base * ratio, v1Base * ratio * 1.5, seed + 1)),
    direct: latencySummary(sampleLatencies(40, v1Base * ratio - 2, v1Base * 1.2, seed + 2)),
    'v2-floor': latencySummary(sampleLatencies(40, v1Base * 0.6, v1Base, seed + 3)),
  });
  return [
    buildScenario('execute answers 410', {
      endpoints: ['execute'],
      tags: ['removed'],
      latency: { v1: latencySummary(sampleLatencies(20, 3, 4, 7)), gateway: latencySummary(sampleLatencies(20, 2, 3, 8)) },
      statuses: { v1: [410], gateway: [410], direct: [404] },
      direct: { outcome: 'different', differences: [buildDifference('/status', 'unexplained', { v1: 410, actual: 404, endpoint: 'execute', step: 0 })] },
    }),
    buildScenario('get knowledge by id', {
      endpoints: ['knowledge.get'],
      tags: ['smoke', 'read'],
      outcome: 'equivalent',
      differences: [
        buildDifference('/body/content', 'explained', { v1: HOSTILE.entities, actual: HOSTILE.entities, reason: 'rule rename(content → body) round-trips', endpoint: 'knowledge.get', step: 0 }),
        buildDifference('/headers/date', 'noise', { v1: 'Mon, 02 Mar 2026 10:15:01 GMT', actual: 'Mon, 02 Mar 2026 10:15:02 GMT', endpoint: 'knowledge.get', step: 0 }),
        buildDifference('/headers/deprecation', 'explained', { actual: '@1780272000', reason: 'lifecycle header added by the gateway', endpoint: 'knowledge.get', step: 0 }),
      ],
      latency: fullLatency(11, 8, 1.31),
      statuses: { v1: [200], gateway: [200], direct: [200], 'v2-floor': [200] },
      direct: {
        outcome: 'different',
        differences: [
          buildDifference('/body/content', 'unexplained', { v1: 'Retire v1 safely', endpoint: 'knowledge.get', step: 0 }),
          buildDifference('/body/id', 'unexplained', { v1: 42, actual: '42', endpoint: 'knowledge.get', step: 0, rule: { pointer: '/resources/Knowledge/0', op: 'coerce' }, intermittent: { rounds: 1, of: 2 }, chargedTo: ['knowledge.update'] }),
        ],
      },
    }),
    buildScenario(`list knowledge ${HOSTILE.script}`, {
      endpoints: ['knowledge.list'],
      tags: ['pagination', HOSTILE.pipes],
      outcome: 'different',
      differences: [
        buildDifference('/body/0/content', 'unexplained', { v1: HOSTILE.script, actual: HOSTILE.quotes, endpoint: 'knowledge.list', step: 0 }),
        buildDifference('/body/0/tags', 'explained', { v1: ['api', 'migration'], actual: ['api', 'migration'], reason: 'rule move(tags → metadata.tags)', endpoint: 'knowledge.list', step: 0 }),
        buildDifference('/headers/date', 'noise', { v1: 'Mon, 02 Mar 2026 10:15:03 GMT', actual: 'Mon, 02 Mar 2026 10:15:04 GMT', endpoint: 'knowledge.list', step: 0 }),
        buildDifference('/headers/x-total-count', 'unexplained', { v1: '12', reason: `header missing through the gateway ${HOSTILE.imageOnError}`, step: 0 }),
      ],
      expectations: [{ target: 'gateway', step: 0, message: `expected header x-total-count, got none ${HOSTILE.pipes}` }],
      latency: fullLatency(21, 12, 2.45),
      statuses: { v1: [200], gateway: [200], direct: [200], 'v2-floor': [200] },
    }),
    buildScenario(`search ${HOSTILE.emoji}`, {
      endpoints: ['search'],
      tags: ['search'],
      outcome: 'different',
      differences: [
        buildDifference('/body/count', 'unexplained', { v1: 3, actual: '3', endpoint: 'search', step: 0, rule: { pointer: '/endpoints/2/response/1', op: 'move' }, intermittent: { rounds: 2, of: 10 }, chargedTo: ['knowledge.update'] }),
        buildDifference('/body/results/0', 'unexplained', {
          v1: { id: 7, content: HOSTILE.newlines, note: HOSTILE.cdataEnd },
          actual: { id: '7', body: HOSTILE.backticks, note: HOSTILE.markdown },
          endpoint: 'search',
          step: 0,
        }),
        buildDifference('/body/results/1/type', 'unexplained', { v1: HOSTILE.pipes, actual: HOSTILE.controlCharacters, endpoint: 'search', step: 0 }),
      ],
      latency: fullLatency(31, 20, 1.12),
      statuses: { v1: [200], gateway: [200], direct: [200], 'v2-floor': [200] },
    }),
    buildScenario('search times out', {
      endpoints: ['search'],
      tags: ['slow'],
      outcome: 'error',
      error: `gateway timed out after 5000 ms: ${HOSTILE.imageOnError}\nupstream said ${HOSTILE.cdataEnd}`,
      latency: { v1: latencySummary(sampleLatencies(5, 30, 10, 41)) },
      statuses: { v1: [200], gateway: [504] },
      direct: { outcome: 'error', error: `v2 timed out after 5000 ms: ${HOSTILE.script}`, differences: [] },
    }),
    buildScenario('update knowledge', {
      endpoints: ['knowledge.update'],
      tags: ['write'],
      knownGap: 'v2 keeps the old title in the audit log; accepted',
      latency: fullLatency(51, 15, 0.94),
      statuses: { v1: [200, 200], gateway: [200, 200], direct: [200, 200], 'v2-floor': [200, 200] },
      direct: { outcome: 'identical', differences: [] },
    }),
  ];
}

/** The full fixture; `overrides` replace top-level fields, and summary counts follow the scenarios. */
export function buildReport(overrides: Partial<CompatReport> = {}): CompatReport {
  const scenarios = overrides.scenarios ?? knowledgeScenarios();
  const report: CompatReport = {
    reportVersion: REPORT_VERSION,
    suite: `knowledge "smoke" & <core>`,
    mapping: 'mappings/knowledge.yaml',
    partial: false,
    summary: { score: 71.5, verdict: 'blocked', incomplete: [`2 endpoints are untested (tasks.get, ${HOSTILE.pipes})`], ...summarise(scenarios), performanceThreshold: 2, minScore: 80 },
    formula: FORMULA,
    endpoints: knowledgeEndpoints(),
    untested: ['GET /tasks/{id}', `GET /legacy/${HOSTILE.pipes}`],
    unexercisedRules: [
      '/endpoints/knowledge.get/response/errors/404',
      '/endpoints/knowledge.list/request/query/page|size',
      '/endpoints/knowledge.list/response/headers/x-total-count',
      '/endpoints/tasks.get/response/body/status',
      '/resources/Knowledge/2',
    ],
    rootCauses: rootCauses(scenarios),
    scenarios,
    run: {
      startedAt: '2026-03-02T10:15:00.000Z',
      finishedAt: '2026-03-02T10:15:42.500Z',
      durationMs: 42500,
      targets: { v1: 'http://127.0.0.1:4001', gateway: 'http://127.0.0.1:4000', direct: 'http://127.0.0.1:4002', 'v2-floor': 'http://127.0.0.1:4002' },
      repeat: 40,
      concurrency: 4,
      tool: { name: 'api-compat', version: '0.1.0' },
      node: 'v20.19.0',
    },
    ...overrides,
  };
  return report;
}

/** The smallest valid report: nothing mapped, nothing run. Renderers must still produce a sane page. */
export function buildEmptyReport(): CompatReport {
  return buildReport({
    suite: 'empty',
    mapping: undefined,
    summary: { score: 0, verdict: 'blocked', ...summarise([]), performanceThreshold: 2 },
    endpoints: [],
    untested: [],
    unexercisedRules: [],
    scenarios: [],
    formula: 'no endpoints',
  });
}

/** Every difference of a report, or only those with `label`. */
export function allDifferences(report: CompatReport, label?: DifferenceLabel): Difference[] {
  return report.scenarios.flatMap((scenario) => scenario.differences).filter((difference) => label === undefined || difference.label === label);
}
