import type { CompatReport, Difference, DirectResult, EndpointResult, ScenarioResult, TargetName } from '../core/model/report.js';
import { formatDuration, formatMs, formatNumber, formatRatio, formatScore, formatValue, plural, truncate } from './format-values.js';
import { html, joinHtml, trustedHtml, type SafeHtml } from './html-template.js';
import { latencyRatioChart, percentileChart, sampleStrip, targetClass } from './latency-svg.js';
import { REPORT_CSS } from './report-html-style.js';
import { directSummary, endpointOf, exceedsLatencyThreshold, fixFirst, measuredTargets, meetsMinScore, sortByLabel, TARGET_ORDER, unexercisedRules } from './report-queries.js';

/**
 * report.html: one self-contained page, readable offline and printable. No script, no external
 * font, image or stylesheet; a Content-Security-Policy forbids them all, so even a value that
 * slipped past escaping could neither run nor call home. Every report string goes through the
 * `html` template, which escapes by default: values come from the APIs under test. The empty
 * data: icon keeps browsers from asking for /favicon.ico next to the file.
 */

export const HTML_LIMITS = {
  /** Beyond this a scenario's differences are summarised; report.json holds them all. */
  differencesPerScenario: 500,
  /** Long bodies are cut so one huge response cannot make the page unusable. */
  valueChars: 2000,
} as const;

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

type ScenarioAnchors = ReadonlyMap<string, string>;

export function renderHtml(report: CompatReport): string {
  const anchors = scenarioAnchors(report.scenarios);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="${report.run.tool.name} ${report.run.tool.version}">
<link rel="icon" href="data:,">
<title>${pageTitle(report)}</title>
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
${pageHeader(report)}
${contents(report)}
<main>
${summarySection(report)}
${endpointsSection(report, anchors)}
${coverageSection(report)}
${scenariosSection(report)}
${formulaSection(report)}
</main>
${pageFooter(report)}
</body>
</html>
`;
  return page.value;
}

/**
 * Anchors come from positions, not names: names are report data and need not be valid ids. Links
 * by name go to the first scenario of that name; every article still gets its own id.
 */
function scenarioAnchors(scenarios: ScenarioResult[]): ScenarioAnchors {
  const anchors = new Map<string, string>();
  scenarios.forEach((scenario, index) => {
    if (!anchors.has(scenario.name)) anchors.set(scenario.name, scenarioAnchor(index));
  });
  return anchors;
}

function scenarioAnchor(index: number): string {
  return `scenario-${index + 1}`;
}

function pageTitle(report: CompatReport): string {
  return `API compatibility: ${report.suite}: ${report.summary.verdict}, ${formatScore(report.summary.score)}/100${report.partial ? ' (partial)' : ''}`;
}

function pageHeader(report: CompatReport): SafeHtml {
  const { score, verdict, minScore } = report.summary;
  const met = meetsMinScore(report);
  const minScoreNote = met === undefined ? '' : html`<span class="${met ? 'verdict-ready' : 'verdict-blocked'} badge">minimum ${formatScore(minScore ?? 0)}: ${met ? 'met' : 'not met'}</span>`;
  return html`<header>
<h1>API compatibility report: ${report.suite}</h1>
<div class="headline"><span class="score">${formatScore(score)}<span class="muted">/100</span></span> <span class="badge verdict-${verdict}">${verdict}</span> ${minScoreNote}</div>
${report.partial && html`<p class="partial-warning" role="note"><strong>Partial run.</strong> The check was interrupted; this report covers only the scenarios that finished, so scores and verdicts may change on a full run.</p>`}
${report.run.source?.kind === 'shadow' && html`<p class="partial-warning" role="note"><strong>Source: live shadow traffic.</strong> Not a scenario suite: ${report.run.source.exchanges} exchanges compared by the gateway since ${report.run.startedAt}${report.run.source.dropped ? ` (${report.run.source.dropped} dropped, queue full)` : ''}; each shadowed endpoint is one scenario.</p>`}
${fixFirstSection(report)}
${runFacts(report)}
</header>`;
}

/** At the top, above the fold: what to fix first, most consequential first. */
function fixFirstSection(report: CompatReport): SafeHtml {
  const items = fixFirst(report);
  const list =
    items.length === 0
      ? html`<p>Nothing: every scenario through the gateway answered like v1, modulo noise and explained differences.</p>`
      : html`<ol>${items.map((item) => html`<li><strong>${item.title}</strong><br><span class="muted">${truncate(item.detail, 300)}</span></li>`)}</ol>`;
  return html`<section id="fix-first" class="fix-first" aria-labelledby="fix-first-heading"><h2 id="fix-first-heading">What to fix first</h2>${list}</section>`;
}

function runFacts(report: CompatReport): SafeHtml {
  const { run } = report;
  const targets = TARGET_ORDER.flatMap((target) => {
    const url = run.targets[target];
    return url === undefined ? [] : [html`<li><span class="swatch ${targetClass(target)}"></span>${target}: <code>${url}</code></li>`];
  });
  return html`<dl class="run-facts">
${report.mapping !== undefined && html`<dt>Mapping</dt><dd><code>${report.mapping}</code></dd>`}
<dt>Run</dt><dd>${run.startedAt} to ${run.finishedAt} (${formatDuration(run.durationMs)})</dd>
<dt>Targets</dt><dd>${targets.length > 0 ? html`<ul class="legend">${targets}</ul>` : 'none recorded'}</dd>
<dt>Load</dt><dd>repeat ${run.repeat}, concurrency ${run.concurrency}</dd>
</dl>`;
}

function contents(report: CompatReport): SafeHtml {
  const links: Array<[string, string]> = [
    ['fix-first', 'What to fix first'],
    ['summary', 'Summary'],
    ['endpoints', `Endpoints (${report.endpoints.length})`],
    ['coverage', 'Coverage gaps'],
    ['scenarios', `Scenarios (${report.scenarios.length})`],
    ['formula', 'Formula'],
  ];
  return html`<nav aria-label="Contents"><ul>${links.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ul></nav>`;
}

function summarySection(report: CompatReport): SafeHtml {
  const { scenarios, differences, performanceThreshold, minScore } = report.summary;
  const outcomes = (['identical', 'equivalent', 'different', 'error'] as const).map(
    (outcome) => html`<span class="badge ${scenarios[outcome] === 0 ? 'zero' : `outcome-${outcome}`}">${scenarios[outcome]} ${outcome}</span> `,
  );
  const labels = (['unexplained', 'explained', 'noise'] as const).map((label) => html`<span class="badge ${differences[label] === 0 ? 'zero' : `label-${label}`}">${differences[label]} ${label}</span> `);
  const direct = directSummary(report);
  return html`<section id="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">Summary</h2>
<dl class="summary-facts">
<dt>Scenarios</dt><dd>${outcomes}</dd>
<dt>Differences</dt><dd>${labels}</dd>
<dt>Latency threshold</dt><dd>gateway/v1 ratio at most ${formatRatio(performanceThreshold)}</dd>
${minScore !== undefined && html`<dt>Minimum score</dt><dd>${formatScore(minScore)}</dd>`}
<dt>Untested endpoints</dt><dd>${report.untested.length}</dd>
${direct && html`<dt>Straight to v2 (--direct)</dt><dd>${direct.passing} of ${direct.total} scenarios answered like v1 without the gateway</dd>`}
${(report.summary.incomplete ?? []).length > 0 && html`<dt>Not ready because</dt><dd><ul>${(report.summary.incomplete ?? []).map((reason) => html`<li>${reason}</li>`)}</ul></dd>`}
${report.endpoints.some((e) => e.warnings?.length) && html`<dt>Warnings</dt><dd><ul>${report.endpoints.flatMap((e) => (e.warnings ?? []).map((warning) => html`<li><code>${e.id}</code>: ${warning}</li>`))}</ul></dd>`}
</dl>
</section>`;
}

function endpointsSection(report: CompatReport, anchors: ScenarioAnchors): SafeHtml {
  if (report.endpoints.length === 0) {
    return html`<section id="endpoints" aria-labelledby="endpoints-heading"><h2 id="endpoints-heading">Endpoints</h2><p>No endpoints in this report.</p></section>`;
  }
  const ratioChart = latencyRatioChart(report);
  return html`<section id="endpoints" aria-labelledby="endpoints-heading">
<h2 id="endpoints-heading">Endpoints</h2>
<div class="table-wrap"><table class="endpoints">
<caption>Readiness per mapped endpoint</caption>
<thead><tr><th scope="col">Endpoint</th><th scope="col">v1 route</th><th scope="col">v2</th><th scope="col">Verdict</th><th scope="col" class="number">Score</th><th scope="col" class="number">Latency ratio</th><th scope="col" class="number">Gateway overhead</th><th scope="col" class="number">Unexplained</th><th scope="col">Scenarios</th></tr></thead>
<tbody>
${report.endpoints.map((endpoint) => endpointRow(endpoint, report, anchors))}
</tbody>
</table></div>
${ratioChart && html`<h3>Latency ratio per endpoint</h3>${ratioChart}`}
${scoreComponents(report.endpoints)}
</section>`;
}

function endpointRow(endpoint: EndpointResult, report: CompatReport, anchors: ScenarioAnchors): SafeHtml {
  const over = exceedsLatencyThreshold(endpoint.latencyRatio, report);
  const scenarioLinks = joinHtml(
    endpoint.scenarios.map((name) => {
      const anchor = anchors.get(name);
      return anchor ? html`<a href="#${anchor}">${name}</a>` : html`${name}`;
    }),
    ', ',
  );
  return html`<tr>
<th scope="row"><code>${endpoint.id}</code></th>
<td>${pathCode(endpoint.v1)}</td>
<td>${endpoint.v2 !== undefined ? pathCode(endpoint.v2) : '—'}</td>
<td><span class="badge verdict-${endpoint.verdict}">${endpoint.verdict}</span></td>
<td class="number">${formatScore(endpoint.score)}</td>
<td class="number${over ? ' over-threshold' : ''}">${formatRatio(endpoint.latencyRatio)}${over ? ' (over threshold)' : ''}</td>
<td class="number">${formatMs(endpoint.gatewayOverheadMs)}</td>
<td class="number">${endpoint.unexplained}</td>
<td>${endpoint.scenarios.length > 0 ? scenarioLinks : 'none'}</td>
</tr>`;
}

function scoreComponents(endpoints: EndpointResult[]): SafeHtml {
  const rows = endpoints.flatMap((endpoint) =>
    endpoint.components.map(
      (component) =>
        html`<tr><th scope="row"><code>${endpoint.id}</code></th><td>${component.name}</td><td class="number">${formatNumber(component.value, 3)}</td><td class="number">${formatNumber(component.weight, 3)}</td><td>${component.detail}</td></tr>`,
    ),
  );
  if (rows.length === 0) return html``;
  return html`<details>
<summary>Score components per endpoint</summary>
<div class="table-wrap"><table class="components">
<caption>Each score is 100 × fidelity × (1 − the weighted shortfalls of the other components) (see Formula)</caption>
<thead><tr><th scope="col">Endpoint</th><th scope="col">Component</th><th scope="col" class="number">Value (0 to 1)</th><th scope="col" class="number">Weight</th><th scope="col">Detail</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
</details>`;
}

function coverageSection(report: CompatReport): SafeHtml {
  const rules = unexercisedRules(report).map(
    ({ endpoint, rule }) => html`<tr><th scope="row">${endpoint === undefined ? 'mapping-wide' : html`<code>${endpoint}</code>`}</th><td>${pathCode(rule)}</td></tr>`,
  );
  const untested =
    report.untested.length === 0
      ? html`<p>Every v1 endpoint of the mapping was exercised.</p>`
      : html`<h3>Untested endpoints (${report.untested.length})</h3><p>No scenario exercised these v1 endpoints of the mapping:</p><ul>${report.untested.map((route) => html`<li><code>${route}</code></li>`)}</ul>`;
  const unexercised =
    rules.length === 0
      ? html`<p>Every mapping rule was exercised by at least one scenario.</p>`
      : html`<h3>Unexercised rules (${rules.length})</h3><div class="table-wrap"><table class="rules"><caption>Mapping steps no scenario reached</caption><thead><tr><th scope="col">Endpoint</th><th scope="col">Rule pointer</th></tr></thead><tbody>${rules}</tbody></table></div>`;
  const changes = report.endpoints.flatMap((endpoint) =>
    (endpoint.breakingChanges ?? []).map((change) => html`<tr class="breaking-change"><th scope="row"><code>${endpoint.id}</code></th><td>${change.level}</td><td><code>${change.rule}</code></td><td><code>${change.where}</code></td><td>${change.message}</td><td>${change.reason}</td></tr>`),
  );
  const breaking =
    changes.length === 0
      ? html``
      : html`<h3>Uncovered breaking changes (${changes.length})</h3><div class="table-wrap"><table class="rules"><caption>Changes between the OpenAPI documents the mapping does not repair</caption><thead><tr><th scope="col">Endpoint</th><th scope="col">Level</th><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Change</th><th scope="col">Why uncovered</th></tr></thead><tbody>${changes}</tbody></table></div>`;
  return html`<section id="coverage" aria-labelledby="coverage-heading">
<h2 id="coverage-heading">Coverage gaps</h2>
${untested}
${unexercised}
${breaking}
</section>`;
}

function scenariosSection(report: CompatReport): SafeHtml {
  if (report.scenarios.length === 0) {
    return html`<section id="scenarios" aria-labelledby="scenarios-heading"><h2 id="scenarios-heading">Scenarios</h2><p>No scenarios ran.</p></section>`;
  }
  const ordered = bySeverity(report.scenarios);
  const overview = ordered.map(({ scenario, index }) => {
    const count = (label: Difference['label']) => scenario.differences.filter((d) => d.label === label).length;
    return html`<tr><th scope="row"><a href="#${scenarioAnchor(index)}">${scenario.name}</a></th><td>${codeList(scenario.endpoints)}</td><td><span class="badge outcome-${scenario.outcome}">${scenario.outcome}</span>${scenario.knownGap !== undefined && html` <span class="badge zero">known gap</span>`}</td><td class="number">${count('unexplained')}</td><td class="number">${count('explained')}</td><td class="number">${count('noise')}</td><td class="number">${formatMs(scenario.latency.v1?.p50)}</td><td class="number">${formatMs(scenario.latency.gateway?.p50)}</td></tr>`;
  });
  return html`<section id="scenarios" aria-labelledby="scenarios-heading">
<h2 id="scenarios-heading">Scenarios</h2>
<div class="table-wrap"><table class="scenario-overview">
<caption>Outcome and differences per scenario</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Endpoints</th><th scope="col">Outcome</th><th scope="col" class="number">Unexplained</th><th scope="col" class="number">Explained</th><th scope="col" class="number">Noise</th><th scope="col" class="number">v1 p50</th><th scope="col" class="number">Gateway p50</th></tr></thead>
<tbody>${overview}</tbody>
</table></div>
${ordered.map(({ scenario, index }) => scenarioArticle(scenario, scenarioAnchor(index)))}
</section>`;
}

const SEVERITY: Record<ScenarioResult['outcome'], number> = { error: 0, different: 1, equivalent: 2, identical: 3 };

/** Errors first, then scenarios with unexplained differences (most first), then the rest; anchors keep report order. */
function bySeverity(scenarios: ScenarioResult[]): Array<{ scenario: ScenarioResult; index: number }> {
  const unexplained = (scenario: ScenarioResult) => scenario.differences.filter((d) => d.label === 'unexplained').length;
  return scenarios
    .map((scenario, index) => ({ scenario, index }))
    .sort((a, b) => SEVERITY[a.scenario.outcome] - SEVERITY[b.scenario.outcome] || unexplained(b.scenario) - unexplained(a.scenario) || a.index - b.index);
}

/**
 * Per-scenario charts are drawn for the scenarios that failed, where a reader looks closely; for
 * the others one line of p50s says enough (slowness per endpoint is charted once, above), and
 * the page stays small. report.json keeps every sample.
 */
function chartsWanted(scenario: ScenarioResult): boolean {
  return scenario.outcome === 'different' || scenario.outcome === 'error';
}

function scenarioArticle(scenario: ScenarioResult, anchor: string): SafeHtml {
  return html`<article class="scenario" id="${anchor}" aria-labelledby="${anchor}-heading">
<h3 id="${anchor}-heading">${scenario.name} <span class="badge outcome-${scenario.outcome}">${scenario.outcome}</span></h3>
<p class="scenario-meta">Endpoints: ${scenario.endpoints.length > 0 ? codeList(scenario.endpoints) : 'none'}${scenario.tags.length > 0 && html` · Tags: ${codeList(scenario.tags)}`}</p>
${scenario.outcome === 'error' && html`<div class="error-box" role="note"><strong>Could not be judged:</strong><pre>${scenario.error ?? 'no reason recorded'}</pre></div>`}
${scenario.knownGap !== undefined && html`<p class="muted" role="note"><strong>Known gap</strong> (accepted, not counted against its endpoints): ${scenario.knownGap}</p>`}
${expectationList(scenario)}
${differenceTable(scenario.differences, GATEWAY_COMPARISON, scenario)}
${chartsWanted(scenario) ? latencyBlock(scenario, anchor) : latencyLine(scenario)}
${statusLine(scenario)}
${scenario.direct && directBlock(scenario.direct)}
</article>`;
}

function expectationList(scenario: ScenarioResult): SafeHtml {
  if (scenario.expectations.length === 0) return html``;
  const items = scenario.expectations.map((e) => html`<li><span class="swatch ${targetClass(e.target)}"></span>${e.target}, step ${e.step}: <pre>${e.message}</pre></li>`);
  return html`<h4>Failed expectations (${scenario.expectations.length})</h4><ul>${items}</ul>`;
}

/** What a differences table compares real v1 with: the gateway, or v2 called directly. */
interface Comparison {
  caption: string;
  actualHeading: string;
  none: string;
}

const GATEWAY_COMPARISON: Comparison = {
  caption: 'what a v1 client gets from v1 and through the gateway',
  actualHeading: 'Gateway value',
  none: 'No differences: a v1 client sees the same responses.',
};

const DIRECT_COMPARISON: Comparison = {
  caption: 'what a v1 client gets from v1 and from v2 without the gateway',
  actualHeading: 'v2 value',
  none: 'No differences: v1 clients could call v2 directly.',
};

/**
 * Unexplained differences in full (values and why); explained ones and noise collapsed into a
 * short list of places and reasons, since nothing about them needs fixing.
 */
function differenceTable(differences: Difference[], comparison: Comparison, scenario?: ScenarioResult): SafeHtml {
  if (differences.length === 0) return html`<p>${comparison.none}</p>`;
  const unexplained = differences.filter((d) => d.label === 'unexplained');
  const settled = sortByLabel(differences.filter((d) => d.label !== 'unexplained'));
  const shown = unexplained.slice(0, HTML_LIMITS.differencesPerScenario);
  const hidden = unexplained.length - shown.length;
  const table =
    shown.length === 0
      ? html``
      : html`<div class="table-wrap"><table class="differences">
<caption>Unexplained differences (${unexplained.length}): ${comparison.caption}</caption>
<thead><tr><th scope="col">Pointer</th><th scope="col">Label</th><th scope="col">v1 value</th><th scope="col">${comparison.actualHeading}</th><th scope="col">Why</th><th scope="col">Where</th></tr></thead>
<tbody>${shown.map((difference) => differenceRow(difference, scenario))}</tbody>
</table></div>`;
  const collapsed =
    settled.length === 0
      ? html``
      : html`<details class="settled"><summary>${settled.length} explained or noise</summary><ul>${settled
          .slice(0, HTML_LIMITS.differencesPerScenario)
          .map((d) => html`<li><span class="badge label-${d.label}">${d.label}</span> ${pathCode(d.pointer)}${d.step !== undefined && d.step > 0 ? ` (step ${d.step})` : ''}: ${truncate(d.reason, 200)}</li>`)}</ul></details>`;
  return html`${table}
${hidden > 0 && html`<p class="muted">…and ${hidden} more ${hidden === 1 ? 'difference' : 'differences'} in report.json.</p>`}
${collapsed}`;
}

function latencyLine(scenario: ScenarioResult): SafeHtml {
  const measured = measuredTargets(scenario);
  if (measured.length === 0) return html`<p class="muted">No latency measured.</p>`;
  return html`<p class="muted">Latency p50: ${measured.map(({ target, latency }) => `${target} ${formatMs(latency.p50)} (${latency.samples} samples)`).join(' · ')}</p>`;
}

/** With `--direct`: informational, so it sits below the gateway's results, collapsed and compact. */
function directBlock(direct: DirectResult): SafeHtml {
  const unexplained = direct.differences.filter((d) => d.label === 'unexplained');
  const value = (v: unknown) => truncate(formatValue(v), 80);
  return html`<details class="direct"><summary>Straight to v2, without the gateway: <span class="badge outcome-${direct.outcome}">${direct.outcome}</span>${unexplained.length > 0 && ` (${plural(unexplained.length, 'difference')})`}</summary>
${direct.outcome === 'error' && html`<div class="error-box" role="note"><strong>Could not be judged:</strong><pre>${direct.error ?? 'no reason recorded'}</pre></div>`}
${direct.outcome !== 'error' && (unexplained.length === 0 ? html`<p>${DIRECT_COMPARISON.none}</p>` : html`<ul>${unexplained.slice(0, HTML_LIMITS.differencesPerScenario).map((d) => html`<li>${pathCode(d.pointer)}: v1 <code>${value(d.v1)}</code>, v2 <code>${value(d.actual)}</code></li>`)}</ul>`)}
</details>`;
}

function differenceRow(difference: Difference, scenario: ScenarioResult | undefined): SafeHtml {
  const endpoint = scenario ? endpointOf(difference, scenario) : difference.endpoint;
  const where = [endpoint, difference.step !== undefined ? `step ${difference.step}` : undefined].filter((part) => part !== undefined).join(', ');
  return html`<tr class="row-${difference.label}">
<th scope="row">${pathCode(difference.pointer)}</th>
<td><span class="badge label-${difference.label}">${difference.label}</span></td>
<td class="value"><pre>${truncate(formatValue(difference.v1, 2), HTML_LIMITS.valueChars)}</pre></td>
<td class="value"><pre>${truncate(formatValue(difference.actual, 2), HTML_LIMITS.valueChars)}</pre></td>
<td>${difference.reason}</td>
<td>${where === '' ? '—' : where}</td>
</tr>`;
}

function latencyBlock(scenario: ScenarioResult, anchor: string): SafeHtml {
  const measured = measuredTargets(scenario);
  if (measured.length === 0) return html`<p class="muted">No latency measured.</p>`;
  const legend = html`<ul class="legend" aria-hidden="true">${measured.map(({ target }) => html`<li><span class="swatch ${targetClass(target)}"></span>${target}</li>`)}</ul>`;
  const rows = measured.map(
    ({ target, latency }) =>
      html`<tr><th scope="row"><span class="swatch ${targetClass(target)}"></span>${target}</th><td class="number">${latency.samples}</td><td class="number">${formatMs(latency.p50)}</td><td class="number">${formatMs(latency.p95)}</td><td class="number">${formatMs(latency.p99)}</td><td class="number">${formatMs(latency.max)}</td></tr>`,
  );
  return html`<h4>Latency</h4>
${legend}
${percentileChart(scenario, anchor)}
${sampleStrip(scenario, anchor)}
<div class="table-wrap"><table class="latency">
<caption>Latency per target</caption>
<thead><tr><th scope="col">Target</th><th scope="col" class="number">Samples</th><th scope="col" class="number">p50</th><th scope="col" class="number">p95</th><th scope="col" class="number">p99</th><th scope="col" class="number">max</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function statusLine(scenario: ScenarioResult): SafeHtml {
  const parts = TARGET_ORDER.flatMap((target: TargetName) => {
    const statuses = scenario.statuses[target];
    return statuses && statuses.length > 0 ? [`${target} ${statuses.join(', ')}`] : [];
  });
  return parts.length === 0 ? html`` : html`<p class="muted">Status codes per step: ${parts.join(' · ')}</p>`;
}

function formulaSection(report: CompatReport): SafeHtml {
  return html`<section id="formula" aria-labelledby="formula-heading">
<h2 id="formula-heading">How the scores are computed</h2>
<pre class="formula">${report.formula}</pre>
</section>`;
}

function pageFooter(report: CompatReport): SafeHtml {
  const { tool, node } = report.run;
  return html`<footer>Generated by ${tool.name} ${tool.version} on Node ${node} · report version ${report.reportVersion} · ${plural(report.scenarios.length, 'scenario')}</footer>`;
}

/** Routes and pointers as code that may wrap after a slash, so wide tables still fit a laptop screen. */
function pathCode(path: string): SafeHtml {
  const segments = path.split('/').map((segment, index) => (index === 0 ? html`${segment}` : html`/<wbr>${segment}`));
  return html`<code>${segments}</code>`;
}

function codeList(items: string[]): SafeHtml {
  return joinHtml(
    items.map((item) => html`<code>${item}</code>`),
    ', ',
  );
}
