import type { CoverageReport, CoveredFinding } from './coverage.js';
import type { SpecDiff } from './diff.js';
import type { MappingProblem } from './mapping-references.js';
import type { Level } from './rule.js';
import type { Waiver } from './waivers.js';

/**
 * What `api-compat diff` reports, the model every output format renders (json is this object).
 * `failing` are the findings at or above `--fail-on` that are neither waived nor covered.
 */
export interface DiffReport {
  diffVersion: 1;
  v1: { file: string; title: string; version: string };
  v2: { file: string; title: string; version: string };
  mapping?: string;
  failOn?: Level;
  summary: { error: number; warn: number; info: number; covered: number; uncovered: number; waived: number; failing: number };
  findings: ReportedFinding[];
  /** With a mapping: v1 operations it neither maps nor declares removed. */
  unmapped?: string[];
  /** With a mapping: entries naming routes or fields the documents lack. */
  mappingProblems?: MappingProblem[];
  /** Waivers whose fingerprint matched no finding (the finding went away or changed). */
  staleWaivers?: string[];
}

export interface ReportedFinding extends CoveredFinding {
  waived?: { reason: string };
  failing: boolean;
}

const RANK: Record<Level, number> = { error: 0, warn: 1, info: 2 };

export function atOrAbove(level: Level, threshold: Level): boolean {
  return RANK[level] <= RANK[threshold];
}

export function buildDiffReport(diff: SpecDiff, options: { coverage?: CoverageReport; mapping?: string; waivers?: Waiver[]; failOn?: Level }): DiffReport {
  const waivers = new Map((options.waivers ?? []).map((waiver) => [waiver.fingerprint, waiver]));
  const used = new Set<string>();
  const source: CoveredFinding[] = options.coverage?.findings ?? diff.findings;
  const findings: ReportedFinding[] = source.map((finding) => {
    const waiver = waivers.get(finding.fingerprint);
    if (waiver) used.add(waiver.fingerprint);
    const covered = finding.coverage?.status === 'covered';
    const failing = !!options.failOn && atOrAbove(finding.level, options.failOn) && !waiver && !covered;
    return { ...finding, ...(waiver ? { waived: { reason: waiver.reason } } : {}), failing };
  });
  const count = (predicate: (finding: ReportedFinding) => boolean) => findings.filter(predicate).length;
  const mappingProblems = options.coverage?.mappingProblems;
  return {
    diffVersion: 1,
    v1: { file: diff.v1.file, title: diff.v1.title, version: diff.v1.version },
    v2: { file: diff.v2.file, title: diff.v2.title, version: diff.v2.version },
    ...(options.mapping ? { mapping: options.mapping } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
    summary: {
      error: count((f) => f.level === 'error'),
      warn: count((f) => f.level === 'warn'),
      info: count((f) => f.level === 'info'),
      covered: count((f) => f.coverage?.status === 'covered'),
      uncovered: count((f) => f.coverage?.status === 'uncovered'),
      waived: count((f) => !!f.waived),
      failing: count((f) => f.failing) + (options.failOn && mappingProblems ? mappingProblems.length : 0),
    },
    findings,
    ...(options.coverage ? { unmapped: options.coverage.unmapped, mappingProblems: options.coverage.mappingProblems } : {}),
    ...(waivers.size > used.size ? { staleWaivers: [...waivers.keys()].filter((fingerprint) => !used.has(fingerprint)) } : {}),
  };
}
