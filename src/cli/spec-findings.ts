import type { CompiledTable } from '../core/mapping/compiled.js';
import type { MappingDocument } from '../core/model/mapping.js';
import type { EndpointBreakingChanges } from '../core/scoring/breaking-changes.js';
import type { GuideSpecFinding } from '../render/guide-md.js';
import { assessCoverage, endpointFor, mappingPairs } from '../spec/coverage.js';
import { diffSpecs } from '../spec/diff.js';
import type { SpecDocument } from '../spec/model.js';

/** The diff's breaking findings with their coverage, grouped by the mapping endpoint of their v1 operation. */
export async function findingsByEndpoint(table: CompiledTable, document: MappingDocument, v1: SpecDocument, v2: SpecDocument): Promise<Map<string, GuideSpecFinding[]>> {
  const diff = diffSpecs(v1, v2, { pairs: mappingPairs(table) });
  const coverage = await assessCoverage(diff, table, document);
  const grouped = new Map<string, GuideSpecFinding[]>(table.endpoints.map((endpoint) => [endpoint.id, []]));
  for (const finding of coverage.findings) {
    const [method, path] = finding.operation.split(' ', 2);
    const endpoint = endpointFor(table, { method: method!, path: path! });
    if (!endpoint) continue;
    const where = finding.where === 'response' ? `response ${finding.status ?? ''} ${finding.v1Path ?? finding.v2Path ?? ''}` : `${finding.where} ${finding.v1Path ?? finding.v2Path ?? ''}`;
    grouped.get(endpoint.id)!.push({
      level: finding.level,
      rule: finding.rule,
      where: where.replace(/\s+/g, ' ').trim(),
      message: finding.message,
      ...(finding.coverage ? { covered: finding.coverage.status === 'covered', note: finding.coverage.status === 'covered' ? `${finding.coverage.by?.op ?? ''} at ${finding.coverage.by?.pointer ?? ''}` : finding.coverage.reason } : {}),
    });
  }
  return grouped;
}

/** For check --v1-spec --v2-spec: per mapping endpoint, how many breaking findings are covered and which are not. */
export async function breakingChangesByEndpoint(table: CompiledTable, document: MappingDocument, v1: SpecDocument, v2: SpecDocument): Promise<Map<string, EndpointBreakingChanges>> {
  const diff = diffSpecs(v1, v2, { pairs: mappingPairs(table) });
  const coverage = await assessCoverage(diff, table, document);
  const grouped = new Map<string, EndpointBreakingChanges>(table.endpoints.map((endpoint) => [endpoint.id, { covered: 0, uncovered: [] }]));
  for (const finding of coverage.findings) {
    if (finding.level === 'info' || !finding.coverage) continue;
    const [method, path] = finding.operation.split(' ', 2);
    const endpoint = endpointFor(table, { method: method!, path: path! });
    if (!endpoint) continue;
    const entry = grouped.get(endpoint.id)!;
    if (finding.coverage.status === 'covered') entry.covered++;
    else {
      const where = finding.where === 'response' ? `response ${finding.status ?? ''} ${finding.v1Path ?? finding.v2Path ?? ''}` : `${finding.where} ${finding.v1Path ?? finding.v2Path ?? ''}`;
      entry.uncovered.push({ rule: finding.rule, level: finding.level, where: where.replace(/\s+/g, ' ').trim(), message: finding.message, fingerprint: finding.fingerprint, reason: finding.coverage.reason });
    }
  }
  return grouped;
}
