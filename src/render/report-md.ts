import type { CompatReport, EndpointResult, Verdict } from '../core/model/report.js';
import { escapeMarkdownText, markdownCode, markdownCodeBlock } from './escape.js';
import { formatDuration, formatMs, formatRatio, formatScore, formatValue, truncate } from './format-values.js';
import {
  directSummary,
  fixFirst,
  erroredScenarios,
  exceedsLatencyThreshold,
  failedExpectations,
  meetsMinScore,
  unexercisedRules,
  unexplainedDifferences,
} from './report-queries.js';

/**
 * report.md: a pull-request comment (GitHub- and GitLab-flavoured Markdown). Long lists are capped
 * so the comment stays well under GitHub's 65,536-character limit; the HTML and JSON reports hold
 * everything. Every report-derived string is escaped or put in a code span.
 */

/** Caps that keep the comment readable and, even for huge runs, under the hosting limit. */
export const MARKDOWN_LIMITS = {
  endpoints: 100,
  listItems: 40,
  differences: 30,
  scenarioProblems: 15,
  /** Ids, routes, pointers, names and values: one table cell or list entry each. */
  valueChars: 80,
  /** Error and expectation messages. */
  messageChars: 200,
  formulaChars: 4000,
} as const;

const VERDICT_MARK: Record<Verdict | 'incomplete', string> = {
  incomplete: '⏸️',
  ready: '✅',
  'ready-via-gateway': '☑️',
  blocked: '❌',
  removed: '🗑️',
  untested: '❔',
};

export function renderMarkdown(report: CompatReport): string {
  const sections = [
    headline(report),
    partialWarning(report),
    shadowSourceNote(report),
    fixFirstSection(report),
    runContext(report),
    summaryLines(report),
    endpointSection(report),
    untestedSection(report),
    unexercisedRulesSection(report),
    breakingChangesSection(report),
    unexplainedSection(report),
    scenarioErrorsSection(report),
    failedExpectationsSection(report),
    formulaSection(report),
    footer(report),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function headline(report: CompatReport): string {
  const { verdict, score } = report.summary;
  return `## ${VERDICT_MARK[verdict]} API compatibility: ${verdict} · score ${formatScore(score)}/100`;
}

/** The top of the comment: what to fix first, and where the full report is. */
function fixFirstSection(report: CompatReport): string {
  const items = fixFirst(report).map((item, index) => `${index + 1}. **${inlineText(item.title)}**: ${escapeMarkdownText(truncate(item.detail, MARKDOWN_LIMITS.messageChars))}`);
  const list = items.length ? items.join('\n') : 'Nothing: every scenario through the gateway answered like v1, modulo noise and explained differences.';
  return joinBlocks('### What to fix first', list, 'Full report with every scenario: [report.html](report.html) (same folder; `report.json` holds everything).');
}

function partialWarning(report: CompatReport): string {
  if (!report.partial) return '';
  return '> [!WARNING]\n> **Partial run**: the check was interrupted; this report covers only the scenarios that finished, so scores and verdicts may change on a full run.';
}

/** A report exported from a gateway's live shadow traffic says so before anything else. */
function shadowSourceNote(report: CompatReport): string {
  const source = report.run.source;
  if (source?.kind !== 'shadow') return '';
  return `> [!NOTE]\n> **Source: live shadow traffic**, not a scenario suite: ${source.exchanges} exchanges compared by the gateway since ${escapeMarkdownText(report.run.startedAt)}${source.dropped ? ` (${source.dropped} dropped, queue full)` : ''}; each shadowed endpoint is one scenario.`;
}

function runContext(report: CompatReport): string {
  const parts = [`Suite ${inlineCode(report.suite)}`];
  if (report.mapping !== undefined) parts.push(`mapping ${inlineCode(report.mapping)}`);
  const met = meetsMinScore(report);
  if (met !== undefined) parts.push(`minimum score ${formatScore(report.summary.minScore ?? 0)}: ${met ? 'met ✅' : 'not met ❌'}`);
  return parts.join(' · ');
}

function summaryLines(report: CompatReport): string {
  const { scenarios, differences, performanceThreshold } = report.summary;
  return [
    `- **Scenarios**: ${scenarios.identical} identical, ${scenarios.equivalent} equivalent, ${scenarios.different} different, ${scenarios.error} error`,
    `- **Differences**: ${differences.unexplained} unexplained, ${differences.explained} explained, ${differences.noise} noise`,
    `- **Latency threshold**: gateway/v1 ratio at most ${formatRatio(performanceThreshold)}`,
    directLine(report),
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** With `--direct`: how many scenarios would pass if clients only switched their base URL to v2. */
function directLine(report: CompatReport): string {
  const direct = directSummary(report);
  if (!direct) return '';
  return `- **Straight to v2** (\`--direct\`, no gateway): ${direct.passing} of ${direct.total} scenarios identical or equivalent`;
}

function endpointSection(report: CompatReport): string {
  if (report.endpoints.length === 0) return '### Endpoints\n\nNo endpoints in this report.';
  const rows = report.endpoints.slice(0, MARKDOWN_LIMITS.endpoints).map((endpoint) => endpointRow(endpoint, report));
  const table = markdownTable(
    ['Endpoint', 'v1 route', 'Verdict', 'Score', 'Latency ratio', 'Gateway overhead', 'Unexplained'],
    ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
    rows,
  );
  return joinBlocks('### Endpoints', table, moreLine(report.endpoints.length, MARKDOWN_LIMITS.endpoints, 'endpoints'));
}

function endpointRow(endpoint: EndpointResult, report: CompatReport): string[] {
  const ratio = formatRatio(endpoint.latencyRatio);
  return [
    cellCode(endpoint.id),
    cellCode(endpoint.v1),
    `${VERDICT_MARK[endpoint.verdict]} ${endpoint.verdict}`,
    formatScore(endpoint.score),
    exceedsLatencyThreshold(endpoint.latencyRatio, report) ? `${ratio} ⚠️` : ratio,
    formatMs(endpoint.gatewayOverheadMs),
    String(endpoint.unexplained),
  ];
}

function untestedSection(report: CompatReport): string {
  if (report.untested.length === 0) return '';
  const items = report.untested.map((route) => `- ${inlineCode(route)}`);
  return joinBlocks(
    `### Untested endpoints (${report.untested.length})`,
    'No scenario exercised these v1 endpoints of the mapping:',
    cappedList(items, MARKDOWN_LIMITS.listItems, 'endpoints'),
  );
}

/** With check --v1-spec --v2-spec: what the documents say breaks and the mapping does not repair. */
function breakingChangesSection(report: CompatReport): string {
  const items = report.endpoints.flatMap((endpoint) =>
    (endpoint.breakingChanges ?? []).map((change) => `- ${inlineCode(endpoint.id)} **${change.level}** ${inlineCode(change.rule)} ${inlineCode(change.where)}: ${escapeMarkdownText(change.message)} (${escapeMarkdownText(change.reason)})`),
  );
  if (items.length === 0) return '';
  return joinBlocks(
    `### Uncovered breaking changes (${items.length})`,
    'Changes between the OpenAPI documents that the mapping does not repair for v1 clients:',
    cappedList(items, MARKDOWN_LIMITS.listItems, 'changes'),
  );
}

function unexercisedRulesSection(report: CompatReport): string {
  const items = unexercisedRules(report).map(({ endpoint, rule }) => `- ${endpoint === undefined ? 'mapping-wide' : inlineCode(endpoint)}: ${inlineCode(rule)}`);
  if (items.length === 0) return '';
  return joinBlocks(
    `### Unexercised rules (${items.length})`,
    'Mapping steps that no scenario reached, so nothing checked them:',
    cappedList(items, MARKDOWN_LIMITS.listItems, 'rules'),
  );
}

/** Unexplained differences grouped by place across scenarios, most scenarios affected first. */
function unexplainedSection(report: CompatReport): string {
  const found = unexplainedDifferences(report);
  if (found.length === 0) return report.scenarios.length === 0 ? '' : '### Unexplained differences\n\nNone: every difference is explained by a mapping rule or is noise.';
  const causes = report.rootCauses ?? [];
  const rows = causes.slice(0, MARKDOWN_LIMITS.differences).map((cause) => [
    cellCode(cause.place),
    String(cause.scenarios),
    String(cause.occurrences),
    cause.endpoints.map(cellCode).join(', ') || '—',
    cause.rule ? cellCode(`${cause.rule.op} ${cause.rule.pointer}`) : '—',
    `${inlineText(cause.example.scenario)}: ${cellCode(truncate(formatValue(cause.example.v1), MARKDOWN_LIMITS.valueChars))} → ${cellCode(truncate(formatValue(cause.example.actual), MARKDOWN_LIMITS.valueChars))}${cause.intermittent ? ' (intermittent)' : ''}`,
  ]);
  return joinBlocks(
    `### Unexplained differences (${found.length}, at ${causes.length} places)`,
    markdownTable(['Place', 'Scenarios', 'Times', 'Endpoints', 'Written by', 'Example (v1 → actual)'], ['left', 'right', 'right', 'left', 'left', 'left'], rows),
    moreLine(causes.length, MARKDOWN_LIMITS.differences, 'places'),
  );
}

function scenarioErrorsSection(report: CompatReport): string {
  const errored = erroredScenarios(report);
  if (errored.length === 0) return '';
  const items = errored.map(
    (scenario) => `- **${inlineText(scenario.name)}**: ${markdownCode(truncate(scenario.error ?? 'no reason recorded', MARKDOWN_LIMITS.messageChars))}`,
  );
  return joinBlocks(
    `### Scenario errors (${errored.length})`,
    'These scenarios could not be judged:',
    cappedList(items, MARKDOWN_LIMITS.scenarioProblems, 'errors'),
  );
}

function failedExpectationsSection(report: CompatReport): string {
  const failed = failedExpectations(report);
  if (failed.length === 0) return '';
  const items = failed.map(
    ({ scenario, expectation }) =>
      `- **${inlineText(scenario.name)}** (${markdownCode(expectation.target)}, step ${expectation.step}): ${markdownCode(truncate(expectation.message, MARKDOWN_LIMITS.messageChars))}`,
  );
  return joinBlocks(`### Failed expectations (${failed.length})`, cappedList(items, MARKDOWN_LIMITS.scenarioProblems, 'expectations'));
}

function formulaSection(report: CompatReport): string {
  const formula = truncate(report.formula, MARKDOWN_LIMITS.formulaChars);
  // <details> keeps the comment short; GitHub and GitLab both render it.
  return `<details>\n<summary>How the scores are computed</summary>\n\n${markdownCodeBlock(formula)}\n\n</details>`;
}

function footer(report: CompatReport): string {
  const { tool, finishedAt, durationMs } = report.run;
  return `<sub>${escapeMarkdownText(`${tool.name} ${tool.version}`)} · finished ${escapeMarkdownText(finishedAt)} · took ${formatDuration(durationMs)}</sub>`;
}

type Alignment = 'left' | 'right';

/** Cells must already be escaped for a table (see inlineText / cellCode). */
function markdownTable(headers: string[], alignments: Alignment[], rows: string[][]): string {
  const delimiter = alignments.map((alignment) => (alignment === 'right' ? '---:' : '---'));
  return [headers, delimiter, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Escaped text for a list item or a table cell (escapeMarkdownText escapes pipes everywhere). */
function inlineText(text: string): string {
  return escapeMarkdownText(truncate(text, MARKDOWN_LIMITS.valueChars));
}

function inlineCode(text: string): string {
  return markdownCode(truncate(text, MARKDOWN_LIMITS.valueChars));
}

function cellCode(text: string): string {
  return markdownCode(truncate(text, MARKDOWN_LIMITS.valueChars), { inTable: true });
}

function cappedList(items: string[], limit: number, noun: string): string {
  return joinBlocks(items.slice(0, limit).join('\n'), moreLine(items.length, limit, noun));
}

/** The "and N more" line under a capped list, or nothing when nothing was cut. */
function moreLine(total: number, limit: number, noun: string): string {
  return total > limit ? `…and ${total - limit} more ${noun} (see report.html or report.json).` : '';
}

function joinBlocks(...blocks: string[]): string {
  return blocks.filter((block) => block !== '').join('\n\n');
}
