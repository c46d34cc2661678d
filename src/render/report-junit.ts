import type { CompatReport, Difference, EndpointResult, ScenarioResult } from '../core/model/report.js';
import { escapeXmlAttribute, escapeXmlText } from './escape.js';
import { formatNumber, formatValue, plural, truncate } from './format-values.js';
import { endpointOf, latencyBlocked, unexplainedOf } from './report-queries.js';

/**
 * junit.xml: one <testsuite> for the scenario suite and one <testcase> per scenario, in the shape
 * GitLab and Jenkins read (the Ant JUnit dialect). A scenario whose outcome is `different`, or
 * whose expectations failed, is a <failure>; one that could not be judged is an <error>.
 */

/** A failure `message` attribute is a one-line summary in most CI views; details go in the element text. */
const MESSAGE_CHARS = 500;
const VALUE_CHARS = 200;

export function renderJunit(report: CompatReport): string {
  const slow = latencyBlocked(report);
  const failures = report.scenarios.filter((scenario) => scenario.knownGap === undefined && failureOf(scenario) !== undefined).length + slow.length;
  const errors = report.scenarios.filter((scenario) => scenario.knownGap === undefined && scenario.outcome === 'error').length;
  const counts = {
    tests: String(report.scenarios.length + slow.length),
    failures: String(failures),
    errors: String(errors),
    skipped: String(report.scenarios.filter((scenario) => scenario.knownGap !== undefined).length),
    time: seconds(report.run.durationMs),
  };
  const suite = element('testsuite', { name: report.suite, ...counts, timestamp: report.run.startedAt }, [
    properties(report),
    ...report.scenarios.map((scenario) => testcase(scenario, report)),
    ...slow.map((endpoint) => latencyCase(endpoint, report)),
    systemOut(report),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialise(element('testsuites', { name: 'api-compat', ...counts }, [suite]))}\n`;
}

function properties(report: CompatReport): XmlElement {
  const values: Array<[string, string]> = [
    ['score', formatNumber(report.summary.score)],
    ['verdict', report.summary.verdict],
    ['partial', String(report.partial)],
    ['performance-threshold', formatNumber(report.summary.performanceThreshold, 2)],
  ];
  if (report.summary.minScore !== undefined) values.push(['min-score', formatNumber(report.summary.minScore)]);
  if (report.mapping !== undefined) values.push(['mapping', report.mapping]);
  values.push(['tool', `${report.run.tool.name} ${report.run.tool.version}`]);
  return element('properties', {}, values.map(([name, value]) => element('property', { name, value })));
}

/**
 * An endpoint that answers like v1 but too slowly is blocked by latency alone: without a case of
 * its own the run would exit 1 with every test case green.
 */
function latencyCase(endpoint: EndpointResult, report: CompatReport): XmlElement {
  const detail = endpoint.components.find((c) => c.name === 'latency')?.detail ?? '';
  const message = `latency ratio ${formatNumber(endpoint.latencyRatio ?? Number.NaN, 2)} over the threshold ${formatNumber(report.summary.performanceThreshold, 2)}`;
  return element('testcase', { name: `latency: ${endpoint.id}`, classname: endpoint.id, time: '0' }, [element('failure', { message, type: 'latency' }, detail)]);
}

/** Time spent on the scenario's requests: the sum of every measured run on every target. */
function scenarioSeconds(scenario: ScenarioResult): string {
  const ms = Object.values(scenario.latency).reduce((sum, summary) => sum + (summary?.values.reduce((a, b) => a + b, 0) ?? 0), 0);
  return seconds(ms);
}

function testcase(scenario: ScenarioResult, report: CompatReport): XmlElement {
  const attributes = { name: scenario.name, classname: scenario.endpoints[0] ?? report.suite, time: scenarioSeconds(scenario) };
  if (scenario.knownGap !== undefined) return element('testcase', attributes, [element('skipped', { message: `known gap: ${truncate(scenario.knownGap, MESSAGE_CHARS)}` })]);
  if (scenario.outcome === 'error') return element('testcase', attributes, [errorElement(scenario)]);
  const failure = failureOf(scenario);
  return element('testcase', attributes, failure ? [element('failure', { message: failure.message, type: failure.type }, failure.details)] : []);
}

function errorElement(scenario: ScenarioResult): XmlElement {
  const reason = scenario.error ?? 'the scenario could not be judged (no reason recorded)';
  const details = [reason, ...scenario.expectations.map(describeExpectation)].join('\n');
  return element('error', { message: truncate(reason, MESSAGE_CHARS), type: 'error' }, details);
}

interface Failure {
  message: string;
  type: 'different' | 'expectation';
  details: string;
}

/** Only one <failure> per testcase: several are legal for Jenkins but GitLab shows just the first. */
function failureOf(scenario: ScenarioResult): Failure | undefined {
  if (scenario.outcome === 'error') return undefined;
  const different = scenario.outcome === 'different';
  if (!different && scenario.expectations.length === 0) return undefined;
  const unexplained = different ? unexplainedOf(scenario) : [];
  const summary = [
    different ? differenceSummary(unexplained.map((d) => d.pointer)) : '',
    scenario.expectations.length > 0 ? plural(scenario.expectations.length, 'failed expectation') : '',
  ].filter(Boolean);
  return {
    message: truncate(summary.join('; '), MESSAGE_CHARS),
    type: different ? 'different' : 'expectation',
    details: [...unexplained.map((d) => describeDifference(d, scenario)), ...scenario.expectations.map(describeExpectation)].join('\n'),
  };
}

/** One line per difference: where, both values, and why it counts as unexplained. */
function describeDifference(difference: Difference, scenario: ScenarioResult): string {
  const endpoint = endpointOf(difference, scenario);
  const where = [endpoint !== undefined ? `endpoint ${endpoint}` : '', difference.step !== undefined ? `step ${difference.step}` : ''].filter(Boolean).join(', ');
  const value = (v: unknown) => truncate(formatValue(v), VALUE_CHARS);
  return `${difference.pointer}${where ? ` (${where})` : ''}: v1 ${value(difference.v1)}, actual ${value(difference.actual)}; ${difference.reason}`;
}

function describeExpectation(expectation: ScenarioResult['expectations'][number]): string {
  return `expectation failed on ${expectation.target}, step ${expectation.step}: ${expectation.message}`;
}

function differenceSummary(pointers: string[]): string {
  if (pointers.length === 0) return 'responses differ (no unexplained difference recorded)';
  return `${plural(pointers.length, 'unexplained difference')}: ${pointers.join(', ')}`;
}

function systemOut(report: CompatReport): XmlElement {
  const { score, verdict } = report.summary;
  const lines = [`${report.suite}: ${verdict}, score ${formatNumber(score)}/100${report.partial ? ' (partial run: interrupted before every scenario finished)' : ''}`];
  if (report.untested.length > 0) lines.push(`untested endpoints: ${report.untested.join(', ')}`);
  // With check --v1-spec --v2-spec; test cases stay one per scenario.
  for (const endpoint of report.endpoints) {
    for (const change of endpoint.breakingChanges ?? []) lines.push(`uncovered breaking change, endpoint ${endpoint.id}: ${change.level} ${change.rule} ${change.where}: ${change.message} (${change.reason}) [${change.fingerprint}]`);
  }
  return element('system-out', {}, lines.join('\n'));
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(3) : '0';
}

/** An element to serialise: text content is escaped on output, never before. */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  content: string | XmlElement[];
}

function element(name: string, attributes: Record<string, string>, content: string | XmlElement[] = []): XmlElement {
  return { name, attributes, content };
}

/** Child elements are indented; text content is written as is, so failure details keep their lines. */
function serialise(node: XmlElement, depth = 0): string {
  const pad = '  '.repeat(depth);
  const attributes = Object.entries(node.attributes)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(value)}"`)
    .join('');
  const open = `${pad}<${node.name}${attributes}`;
  if (node.content.length === 0) return `${open}/>`;
  if (typeof node.content === 'string') return `${open}>${escapeXmlText(node.content)}</${node.name}>`;
  const children = node.content.map((child) => serialise(child, depth + 1)).join('\n');
  return `${open}>\n${children}\n${pad}</${node.name}>`;
}
