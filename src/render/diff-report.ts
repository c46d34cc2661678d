import type { DiffReport, ReportedFinding } from '../spec/diff-report.js';
import type { Rule } from '../spec/rule.js';
import { escapeMarkdownText, markdownCode } from './escape.js';

/**
 * `api-compat diff` output: text for a terminal, Markdown that fits a pull-request comment, and
 * SARIF 2.1.0 for code-scanning UIs (https://docs.oasis-open.org/sarif/sarif/v2.1.0/). Strings only.
 */

function place(finding: ReportedFinding): string {
  const where = finding.where === 'response' ? `response ${finding.status ?? ''}`.trim() : finding.where;
  const path = finding.v1Path ?? finding.v2Path;
  return path && path !== 'path' && path !== 'method' ? `${where} ${path}` : where;
}

function coverageText(finding: ReportedFinding): string {
  if (finding.waived) return `waived: ${finding.waived.reason}`;
  if (!finding.coverage) return '';
  if (finding.coverage.status === 'covered') return `covered by ${finding.coverage.by?.pointer ?? ''} (${finding.coverage.by?.op ?? ''})`;
  return `uncovered: ${finding.coverage.reason}`;
}

function summaryLine(report: DiffReport): string {
  const { summary } = report;
  const parts = [`${summary.error} error`, `${summary.warn} warn`, `${summary.info} info`];
  if (report.mapping) parts.push(`${summary.covered} covered`, `${summary.uncovered} uncovered`);
  if (summary.waived) parts.push(`${summary.waived} waived`);
  if (report.failOn) parts.push(`${summary.failing} failing --fail-on ${report.failOn}`);
  return parts.join(', ');
}

function byOperation(findings: ReportedFinding[]): Map<string, ReportedFinding[]> {
  const groups = new Map<string, ReportedFinding[]>();
  for (const finding of findings) {
    const key = finding.v2Operation ? `${finding.operation} -> ${finding.v2Operation}` : finding.operation;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

export function renderDiffText(report: DiffReport, options: { paint?: (code: number, text: string) => string; showInfo?: boolean } = {}): string {
  const paint = options.paint ?? ((_: number, text: string) => text);
  const colour = { error: 31, warn: 33, info: 2 } as const;
  const lines = [`${report.v1.file} (${report.v1.title} ${report.v1.version}) -> ${report.v2.file} (${report.v2.title} ${report.v2.version})${report.mapping ? `, mapping ${report.mapping}` : ''}`, ''];
  const shown = report.findings.filter((finding) => options.showInfo || finding.level !== 'info');
  for (const [operation, findings] of byOperation(shown)) {
    lines.push(operation);
    for (const finding of findings) {
      const mark = finding.failing ? '✗' : finding.coverage?.status === 'covered' || finding.waived ? '✓' : ' ';
      lines.push(`  ${mark} ${paint(colour[finding.level], finding.level.padEnd(5))} ${finding.rule}  ${place(finding)}: ${finding.message}  [${finding.fingerprint}]`);
      const coverage = coverageText(finding);
      if (coverage) lines.push(`           ${coverage}`);
    }
    lines.push('');
  }
  if (report.unmapped?.length) lines.push('v1 operations the mapping neither maps nor declares removed:', ...report.unmapped.map((operation) => `  ${operation}`), '');
  if (report.mappingProblems?.length) lines.push('mapping entries the documents do not know:', ...report.mappingProblems.map((problem) => `  ${report.mapping}#${problem.pointer}: ${problem.message}`), '');
  if (report.staleWaivers?.length) lines.push(`waivers that match no finding: ${report.staleWaivers.join(', ')}`, '');
  if (!options.showInfo && report.summary.info) lines.push(`(${report.summary.info} info findings not shown; --format json lists them)`);
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

export function renderDiffMarkdown(report: DiffReport): string {
  const lines = [
    `### API changes: ${escapeMarkdownText(report.v1.title || report.v1.file)} → ${escapeMarkdownText(report.v2.title || report.v2.file)}`,
    '',
    `**${summaryLine(report)}**`,
    '',
  ];
  const breaking = report.findings.filter((finding) => finding.level !== 'info');
  if (breaking.length) {
    lines.push(report.mapping ? '| | level | rule | operation | where | change | mapping |' : '| | level | rule | operation | where | change |');
    lines.push(report.mapping ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|---|');
    for (const finding of breaking) {
      const mark = finding.failing ? '❌' : finding.coverage?.status === 'covered' || finding.waived ? '✅' : '⚠️';
      const cells = [mark, finding.level, markdownCode(finding.rule, { inTable: true }), markdownCode(finding.operation, { inTable: true }), markdownCode(place(finding), { inTable: true }), escapeMarkdownText(finding.message).replace(/\|/g, '\\|')];
      if (report.mapping) cells.push(escapeMarkdownText(coverageText(finding)).replace(/\|/g, '\\|'));
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  } else lines.push('No breaking or possibly breaking changes.', '');
  if (report.unmapped?.length) lines.push(`Not in the mapping: ${report.unmapped.map((operation) => markdownCode(operation)).join(', ')}`, '');
  if (report.mappingProblems?.length) lines.push('Mapping entries the documents do not know:', '', ...report.mappingProblems.map((problem) => `- ${markdownCode(problem.pointer)}: ${escapeMarkdownText(problem.message)}`), '');
  if (report.summary.info) lines.push(`<details><summary>${report.summary.info} non-breaking changes</summary>`, '', ...report.findings.filter((f) => f.level === 'info').map((f) => `- ${markdownCode(f.operation)} ${markdownCode(place(f))}: ${escapeMarkdownText(f.message)}`), '', '</details>', '');
  return lines.join('\n');
}

const SARIF_LEVEL = { error: 'error', warn: 'warning', info: 'note' } as const;

/** One SARIF run; results point at the operation in the v2 document (the v1 one when v2 lacks it). */
export function renderDiffSarif(report: DiffReport, rules: readonly Rule[], locate?: (finding: ReportedFinding) => { uri: string; line?: number; column?: number }): string {
  const used = [...new Set(report.findings.map((finding) => finding.rule))];
  const ruleList = rules.filter((rule) => used.includes(rule.id));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'api-compat',
            informationUri: 'https://github.com/api-compat/api-compat#api-compat-diff',
            rules: ruleList.map((rule) => ({ id: rule.id, shortDescription: { text: rule.description }, defaultConfiguration: { level: SARIF_LEVEL[rule.level] } })),
          },
        },
        results: report.findings.map((finding) => {
          const location = locate?.(finding) ?? { uri: report.v2.file };
          return {
            ruleId: finding.rule,
            ruleIndex: ruleList.findIndex((rule) => rule.id === finding.rule),
            level: SARIF_LEVEL[finding.level],
            message: { text: `${finding.operation} ${place(finding)}: ${finding.message}${finding.coverage ? ` (${coverageText(finding)})` : ''}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: location.uri }, ...(location.line ? { region: { startLine: location.line, startColumn: location.column ?? 1 } } : {}) } }],
            partialFingerprints: { 'apiCompat/v1': finding.fingerprint },
            ...(finding.waived || finding.coverage?.status === 'covered'
              ? { suppressions: [{ kind: 'external', justification: finding.waived ? finding.waived.reason : `covered by the mapping: ${finding.coverage!.by?.pointer ?? ''}` }] }
              : {}),
          };
        }),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
