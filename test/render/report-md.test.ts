import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CompatReport, Difference } from '../../src/core/model/report.js';
import { MARKDOWN_LIMITS, renderMarkdown } from '../../src/render/report-md.js';
import { buildDifference, buildEmptyReport, buildReport, buildScenario, HOSTILE } from './fixtures.js';
import { markdownTables, outsideCode, unescapedPositions, type MarkdownTable } from './markdown-structure.js';

/** GitHub rejects pull-request comments longer than this. */
const GITHUB_COMMENT_LIMIT = 65_536;
/** The only HTML report.md writes itself. */
const OWN_TAGS = new Set(['<details>', '</details>', '<summary>', '</summary>', '<sub>', '</sub>']);

function tableWithHeader(markdown: string, firstHeader: string): MarkdownTable {
  const table = markdownTables(markdown).find((candidate) => candidate.header[0] === firstHeader);
  if (!table) throw new Error(`no table starting with column "${firstHeader}" in:\n${markdown}`);
  return table;
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`### ${heading}`);
  if (start < 0) return '';
  const next = markdown.indexOf('\n### ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

describe('renderMarkdown', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens with the overall verdict and score', () => {
    const markdown = renderMarkdown(buildReport());
    expect(markdown.split('\n')[0]).toBe('## ❌ API compatibility: blocked · score 71.5/100');
    expect(markdown).toContain('minimum score 80: not met ❌');
    expect(markdown).toContain('- **Scenarios**: 2 identical, 1 equivalent, 2 different, 1 error');
    expect(markdown).toContain('- **Differences**: 5 unexplained, 3 explained, 2 noise');
  });

  it('warns about a partial run, and only then', () => {
    expect(renderMarkdown(buildReport({ partial: true }))).toContain('> [!WARNING]\n> **Partial run**');
    expect(renderMarkdown(buildReport({ partial: false }))).not.toContain('Partial run');
  });

  it('lists every endpoint with verdict, score, latency ratio, gateway overhead and unexplained count', () => {
    const report = buildReport();
    const table = tableWithHeader(renderMarkdown(report), 'Endpoint');
    expect(table.header).toEqual(['Endpoint', 'v1 route', 'Verdict', 'Score', 'Latency ratio', 'Gateway overhead', 'Unexplained']);
    expect(table.rows.map((row) => row[0])).toEqual(report.endpoints.map((endpoint) => `\`${endpoint.id}\``));
    expect(table.rows).toContainEqual(['`knowledge.list`', '`GET /api/v1/knowledge`', '❌ blocked', '54.3', '2.45× ⚠️', '3.1 ms', '2']);
    expect(table.rows).toContainEqual(['`execute`', '`POST /execute`', '🗑️ removed', '100', '—', '—', '0']);
    expect(table.rows).toContainEqual(['`tasks.get`', '`GET /tasks/{id}`', '❔ untested', '0', '—', '—', '0']);
    expect(table.rows).toContainEqual(['`knowledge.update`', '`PUT /api/v1/knowledge/{id}`', '✅ ready', '100', '0.94×', '0.7 ms', '0']);
  });

  it('lists untested endpoints and unexercised rules', () => {
    const markdown = renderMarkdown(buildReport());
    const untested = section(markdown, 'Untested endpoints');
    expect(untested).toContain('- `GET /tasks/{id}`');
    expect(untested).toContain('- `GET /legacy/|pipes| split | cells`');
    const rules = section(markdown, 'Unexercised rules (5)');
    expect(rules).toContain('- `knowledge.get`: `/endpoints/knowledge.get/response/errors/404`');
    expect(rules).toContain('- `tasks.get`: `/endpoints/tasks.get/response/body/status`');
    expect(rules).toContain('- mapping-wide: `/resources/Knowledge/2`');
  });

  it('lists the endpoints’ unexercised rules when the report has no report-wide list', () => {
    const markdown = renderMarkdown(buildReport({ unexercisedRules: undefined }));
    expect(section(markdown, 'Unexercised rules (4)')).not.toContain('mapping-wide');
  });

  it('tells how many scenarios would pass straight to v2, when the run measured it', () => {
    expect(renderMarkdown(buildReport())).toContain('- **Straight to v2** (`--direct`, no gateway): 1 of 4 scenarios identical or equivalent');
    const withoutDirect = buildReport();
    for (const scenario of withoutDirect.scenarios) delete scenario.direct;
    expect(renderMarkdown(withoutDirect)).not.toContain('Straight to v2');
  });

  it('groups unexplained differences by place across scenarios, most scenarios first, with one example', () => {
    const report = buildReport();
    const table = tableWithHeader(renderMarkdown(report), 'Place');
    expect(table.header).toEqual(['Place', 'Scenarios', 'Times', 'Endpoints', 'Written by', 'Example (v1 → actual)']);
    expect(table.rows.map((row) => row[0])).toEqual(report.rootCauses!.map((cause) => `\`${cause.place}\``));
    expect(table.rows).toContainEqual(['`body.count`', '1', '1', '`knowledge.update`, `search`', '`move /endpoints/2/response/1`', `search ${HOSTILE.emoji}: \`3\` → \`"3"\` (intermittent)`]);

    const missing = (name: string) => buildScenario(name, { endpoints: ['knowledge.list'], outcome: 'different', differences: [buildDifference('/headers/x-total-count', 'unexplained', { v1: '12', endpoint: 'knowledge.list', step: 0 })] });
    const once = buildScenario('once', { endpoints: ['search'], outcome: 'different', differences: [buildDifference('/body/results/3/id', 'unexplained', { v1: 3, actual: '3', endpoint: 'search', step: 0 })] });
    const grouped = tableWithHeader(renderMarkdown(buildReport({ scenarios: [once, missing('a'), missing('b'), missing('c')] })), 'Place');
    expect(grouped.rows.map((row) => row.slice(0, 3))).toEqual([
      ['`headers.x-total-count`', '3', '3'],
      ['`body.results[].id`', '1', '1'],
    ]);
  });

  it('caps the places and says how many more there are', () => {
    const differences: Difference[] = Array.from({ length: 45 }, (_, i) => buildDifference(`/body/item_${String(i).padStart(2, '0')}`, 'unexplained', { v1: i, actual: `${i}` }));
    const report = buildReport({ scenarios: [buildScenario('many', { endpoints: ['knowledge.list'], outcome: 'different', differences })] });
    const markdown = renderMarkdown(report);
    expect(tableWithHeader(markdown, 'Place').rows).toHaveLength(MARKDOWN_LIMITS.differences);
    expect(markdown).toContain('### Unexplained differences (45, at 45 places)');
    expect(markdown).toContain(`and ${45 - MARKDOWN_LIMITS.differences} more places`);
  });

  it('opens with what to fix first and a link to report.html', () => {
    const markdown = renderMarkdown(buildReport());
    const top = section(markdown, 'What to fix first');
    expect(markdown.indexOf('### What to fix first')).toBeLessThan(markdown.indexOf('### Endpoints'));
    expect(top).toMatch(/^1\. \*\*1 scenario could not be judged\*\*/m);
    expect(top).toContain('[report.html](report.html)');
  });

  it('says so when nothing is unexplained', () => {
    const report = buildReport({ scenarios: [buildScenario('clean', { endpoints: ['knowledge.get'] })] });
    expect(renderMarkdown(report)).toContain('None: every difference is explained by a mapping rule or is noise.');
  });

  it('truncates long values', () => {
    const long = 'x'.repeat(5000);
    const report = buildReport({ scenarios: [buildScenario('long', { outcome: 'different', differences: [buildDifference('/body', 'unexplained', { v1: long, actual: long })] })] });
    const row = tableWithHeader(renderMarkdown(report), 'Place').rows[0] ?? [];
    expect(row[5]).toContain(`\`"${'x'.repeat(MARKDOWN_LIMITS.valueChars - 2)}…\``);
  });

  it('lists scenario errors and failed expectations', () => {
    const markdown = renderMarkdown(buildReport());
    const errors = section(markdown, 'Scenario errors (1)');
    expect(errors).toContain('- **search times out**: `gateway timed out after 5000 ms: <img src=x onerror="window.__pwned = true">↵upstream said closes ]]> a CDATA section`');
    const expectations = section(markdown, 'Failed expectations (1)');
    expect(expectations).toContain('(`gateway`, step 0): `expected header x-total-count, got none |pipes| split | cells`');
  });

  it('prints the formula verbatim in a collapsed code block', () => {
    const report = buildReport();
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(`<details>\n<summary>How the scores are computed</summary>\n\n\`\`\`text\n${report.formula}\n\`\`\`\n\n</details>`);
  });

  it('keeps every table row intact whatever the values contain (pipes, newlines, backticks)', () => {
    const tables = markdownTables(renderMarkdown(buildReport()));
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const table of tables) {
      for (const [index, line] of table.lines.entries()) {
        expect(line.startsWith('| ') && line.endsWith(' |'), `row ${index}: ${line}`).toBe(true);
        expect(table.rows[index], line).toHaveLength(table.header.length);
      }
    }
  });

  it('lets no report text become HTML, links or code outside code spans', () => {
    const markup = outsideCode(renderMarkdown(buildReport({ partial: true })));
    const tags = unescapedPositions(markup, '<').map((at) => markup.slice(at, markup.indexOf('>', at) + 1));
    expect(tags.filter((tag) => !OWN_TAGS.has(tag))).toEqual([]);
    // The only live bracket is the alert marker; the only live backticks were fences, now removed.
    const brackets = unescapedPositions(markup, '[').map((at) => markup.slice(at, at + 10));
    expect(brackets.filter((text) => !text.startsWith('[!WARNING]') && !text.startsWith('[code]') && !text.startsWith('[report.ht'))).toEqual([]);
    expect(unescapedPositions(markup, '`')).toEqual([]);
    expect(markup).not.toContain('@octocat');
    expect(markup).not.toContain('](https://evil.example');
  });

  it('keeps the comment under GitHub’s size limit for a huge run', () => {
    const value = { blob: 'y'.repeat(10_000) };
    const scenarios = Array.from({ length: 300 }, (_, s) =>
      buildScenario(`scenario ${s} ${'n'.repeat(200)}`, {
        outcome: 'error',
        error: 'e'.repeat(10_000),
        differences: Array.from({ length: 10 }, (_, d) => buildDifference(`/body/${d}/${'p'.repeat(300)}`, 'unexplained', { v1: value, actual: value, endpoint: 'x'.repeat(300) })),
        expectations: [{ target: 'gateway', step: 0, message: 'm'.repeat(10_000) }],
      }),
    );
    const endpoints = Array.from({ length: 400 }, (_, i) => ({
      ...buildReport().endpoints[0]!,
      id: `endpoint-${i}-${'i'.repeat(300)}`,
      v1: `GET /${'r'.repeat(300)}`,
      unexercisedRules: [`/rule/${'u'.repeat(300)}`],
    }));
    const report: CompatReport = buildReport({ scenarios, endpoints, untested: Array.from({ length: 500 }, (_, i) => `GET /${i}/${'t'.repeat(300)}`), formula: 'f'.repeat(100_000) });
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain(`and ${400 - MARKDOWN_LIMITS.endpoints} more endpoints`);
    expect(markdown).toContain(`and ${500 - MARKDOWN_LIMITS.listItems} more endpoints`);
    expect(markdown).toContain(`and ${300 - MARKDOWN_LIMITS.scenarioProblems} more errors`);
  });

  it('renders an empty report without tables of nothing', () => {
    const markdown = renderMarkdown(buildEmptyReport());
    expect(markdown).toContain('No endpoints in this report.');
    expect(markdown).not.toContain('### Unexplained differences');
    expect(markdownTables(markdown)).toEqual([]);
  });

  it('depends on the report only, not on the clock', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = renderMarkdown(buildReport());
    vi.setSystemTime(new Date('2031-06-15T12:00:00Z'));
    expect(renderMarkdown(buildReport())).toBe(first);
    expect(first).not.toContain('2030');
  });
});
