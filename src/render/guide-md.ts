import type { EndpointGuide, GuideChange, MappingGuide } from '../core/guide/guide-model.js';

/**
 * Migration guides as Markdown: an index and one page per endpoint. The sentences come from the
 * mapping (its authors' descriptions and the ops' own), which is the team's reviewed text, so
 * they keep their inline code spans; only table cells are made safe for `|`.
 */
export function guidePageName(endpoint: Pick<EndpointGuide, 'id'>): string {
  return `${endpoint.id}.md`;
}

export function renderGuideIndex(guide: MappingGuide): string {
  const lines = [`# Migrating from v1 to v2: ${guide.name}`, ''];
  if (guide.description) lines.push(guide.description, '');
  lines.push(...lifecycleLines(guide), '');
  const withReadiness = guide.endpoints.some((endpoint) => endpoint.readiness);
  lines.push(withReadiness ? '| v1 endpoint | v2 | readiness |' : '| v1 endpoint | v2 |', withReadiness ? '| --- | --- | --- |' : '| --- | --- |');
  for (const endpoint of guide.endpoints) {
    const target = endpoint.removed ? `removed${endpoint.removed.replacement ? `: use \`${endpoint.removed.replacement}\`` : ''}` : `\`${endpoint.v2}\``;
    const cells = [`[\`${endpoint.v1}\`](${guidePageName(endpoint)})`, target];
    if (withReadiness) cells.push(endpoint.readiness ? `${endpoint.readiness.verdict} (${endpoint.readiness.score})` : 'not checked');
    lines.push(`| ${cells.map(tableCell).join(' | ')} |`);
  }
  if (guide.errors.length) lines.push('', '## Errors, on every endpoint', '', ...bullets(guide.errors));
  if (guide.reportedAt) lines.push('', `Readiness from the compatibility report of ${guide.reportedAt}.`);
  return lines.join('\n') + '\n';
}

/**
 * A breaking change `api-compat diff` found for the endpoint's v1 operation, and what the mapping
 * does about it. The sentences are the diff rules' own, with code spans, like the rest of a guide.
 */
export interface GuideSpecFinding {
  level: 'error' | 'warn' | 'info';
  rule: string;
  where: string;
  message: string;
  covered?: boolean;
  /** The covering rule (covered) or why nothing covers it (uncovered). */
  note?: string;
}

export function renderEndpointGuide(guide: MappingGuide, endpoint: EndpointGuide, specFindings?: GuideSpecFinding[]): string {
  const lines = [`# \`${endpoint.v1}\``, '', `[All endpoints](index.md) · mapping endpoint \`${endpoint.id}\``, ''];
  if (endpoint.readiness) {
    lines.push(`Readiness: **${endpoint.readiness.verdict}**, score ${endpoint.readiness.score}${endpoint.readiness.unexplained ? `, ${endpoint.readiness.unexplained} unexplained difference(s)` : ''}.`, '');
  }
  if (endpoint.removed) {
    lines.push('This endpoint no longer exists in v2.', '', endpoint.removed.message, '');
    if (endpoint.removed.replacement) lines.push(`Use \`${endpoint.removed.replacement}\` instead.`, '');
    lines.push(`Until v1 is switched off, the gateway answers ${endpoint.removed.status} with this explanation.`);
    if (specFindings) lines.push('', ...specFindingLines(specFindings));
    return lines.join('\n').replace(/\n+$/, '') + '\n';
  }
  lines.push(`In v2: \`${endpoint.v2}\`.`, '');
  if (endpoint.description) lines.push(endpoint.description, '');
  const sections: Array<[string, GuideChange[]]> = [
    ['Request: what changes from v1 to v2', endpoint.request],
    ['Response: how a v2 answer becomes the v1 answer', endpoint.response],
    ['More than one v2 call', endpoint.calls],
    ['Errors: how a v2 error becomes the v1 error', [...endpoint.errors, ...guide.errors]],
  ];
  for (const [title, changes] of sections) if (changes.length) lines.push(`## ${title}`, '', ...bullets(changes), '');
  for (const resource of endpoint.resources) lines.push(`## ${resource.name} fields`, '', ...bullets(resource.changes), '');
  if (specFindings) lines.push(...specFindingLines(specFindings), '');
  lines.push(...lifecycleLines(guide));
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

function specFindingLines(findings: GuideSpecFinding[]): string[] {
  const breaking = findings.filter((finding) => finding.level !== 'info');
  if (!breaking.length) return ['## Changes in the OpenAPI documents', '', 'The v1 and v2 documents show no breaking change for this endpoint.'];
  return [
    '## Changes in the OpenAPI documents',
    '',
    ...breaking.map((f) => `- ${f.covered === undefined ? '' : f.covered ? '✅ ' : '❌ '}**${f.level}** \`${f.rule}\` \`${f.where}\`: ${f.message}${f.note ? ` (${f.covered ? 'the gateway handles it: ' : 'not handled: '}${f.note})` : ''}`),
  ];
}

function bullets(changes: GuideChange[]): string[] {
  return changes.map((change) => `- ${change.text}${change.lossy ? ' **Lossy:** v1 clients cannot see every v2 value.' : ''}`);
}

function lifecycleLines(guide: MappingGuide): string[] {
  const { deprecation, sunset, guide: link } = guide.lifecycle;
  const parts = [deprecation ? `v1 is deprecated since ${deprecation}` : '', sunset ? `it stops answering on ${sunset}` : ''].filter(Boolean);
  const lines = parts.length ? [`${parts.join('; ')}.`] : [];
  if (link) lines.push(`More: ${link}`);
  return lines;
}

function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
