import { renderHtml } from '../render/report-html.js';
import { renderJunit } from '../render/report-junit.js';
import { renderMarkdown } from '../render/report-md.js';
import type { ReportFormat, ReportRenderer } from './write-report.js';

/** The string renderers of src/render, by `--format` name (report.json is written by write-report itself). */
export const REPORT_RENDERERS: Record<Exclude<ReportFormat, 'json'>, ReportRenderer> = {
  md: renderMarkdown,
  html: renderHtml,
  junit: renderJunit,
};
