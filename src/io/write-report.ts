import { cp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompatReport } from '../core/model/report.js';

export const REPORT_FORMATS = ['json', 'md', 'html', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Record<ReportFormat, string> = { json: 'report.json', md: 'report.md', html: 'report.html', junit: 'junit.xml' };

export type ReportRenderer = (report: CompatReport) => string;

export interface WrittenReport {
  /** compat-reports/<suite>/<UTC timestamp> */
  dir: string;
  /** compat-reports/<suite>/latest */
  latest: string;
  files: string[];
}

/** report.json is the canonical form: two-space JSON, the report's own (sorted) order. */
export function renderJson(report: CompatReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * Writes a report atomically: every file goes into a hidden temporary folder beside the final
 * one, which is then renamed into place, so a reader (or a crash) never sees half a report.
 * `latest/` is replaced the same way, as a copy rather than a symlink so it works on every
 * file system and survives being zipped as a CI artifact.
 */
export async function writeReport(report: CompatReport, options: { outDir: string; formats: readonly ReportFormat[]; renderers: Partial<Record<ReportFormat, ReportRenderer>> }): Promise<WrittenReport> {
  const suiteDir = join(options.outDir, safeName(report.suite));
  await mkdir(suiteDir, { recursive: true });
  const unique = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(suiteDir, `.tmp-${unique}`);
  await mkdir(staging);
  try {
    const files: string[] = [];
    for (const format of new Set<ReportFormat>(['json', ...options.formats])) {
      const render = format === 'json' ? renderJson : options.renderers[format];
      if (!render) continue;
      await writeFile(join(staging, REPORT_FILES[format]), render(report), 'utf8');
      files.push(REPORT_FILES[format]);
    }
    const dir = await freeName(suiteDir, timestampName(report.run.startedAt));
    await rename(staging, dir);
    const latest = join(suiteDir, 'latest');
    await replaceDirectory(dir, latest, join(suiteDir, `.tmp-latest-${unique}`), join(suiteDir, `.old-latest-${unique}`));
    return { dir, latest, files: files.map((file) => join(dir, file)) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `2026-06-01T12:30:05.123Z` -> `2026-06-01T12-30-05Z`: sortable, and legal on every file system. */
export function timestampName(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

async function freeName(parent: string, name: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = join(parent, n === 1 ? name : `${name}-${n}`);
    if (!(await exists(candidate))) return candidate;
  }
}

async function replaceDirectory(source: string, target: string, staging: string, retired: string): Promise<void> {
  await cp(source, staging, { recursive: true });
  const hadTarget = await exists(target);
  if (hadTarget) await rename(target, retired);
  await rename(staging, target);
  if (hadTarget) await rm(retired, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'suite';
}
