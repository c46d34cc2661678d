import { afterEach, describe, expect, it, vi } from 'vitest';
import { HTML_LIMITS, renderHtml } from '../../src/render/report-html.js';
import { allDifferences, buildDifference, buildEmptyReport, buildReport, buildScenario, HOSTILE } from './fixtures.js';

/*
 * String-level checks of report.html. The browser test renders the same page in Chromium; these
 * pin down content and, above all, that report text can never become markup.
 */

interface Tag {
  name: string;
  attributes: Array<[string, string]>;
}

/**
 * Every start tag of the page. Report text is escaped, so every "<" in the output starts markup
 * the renderer wrote itself: an unescaped hostile value would show up here as a tag or attribute.
 */
function startTags(page: string): Tag[] {
  const tags: Tag[] = [];
  for (let at = page.indexOf('<'); at >= 0; at = page.indexOf('<', at + 1)) {
    const name = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(page.slice(at, at + 40))?.[1];
    if (!name) continue;
    const end = page.indexOf('>', at);
    const inside = page.slice(at + 1 + name.length, end);
    const attributes = [...inside.matchAll(/([^\s=/"']+)(?:="([^"]*)")?/g)].map((match): [string, string] => [match[1] ?? '', match[2] ?? '']);
    tags.push({ name: name.toLowerCase(), attributes });
  }
  return tags;
}

const PAGE_TAGS = new Set(
  'html head meta link title style body header h1 h2 h3 h4 div span p strong dl dt dd ul ol li br code pre nav a main section article table caption thead tbody tr th td details summary footer wbr svg g rect text circle line desc'.split(' '),
);

function between(page: string, start: string, end: string): string {
  const from = page.indexOf(start);
  if (from < 0) throw new Error(`missing ${start}`);
  return page.slice(from, page.indexOf(end, from));
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('renderHtml', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is a complete, accessible document', () => {
    const page = renderHtml(buildReport());
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<title>API compatibility: knowledge &quot;smoke&quot; &amp; &lt;core&gt;: blocked, 71.5/100</title>');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    for (const table of page.split('<table').slice(1)) {
      expect(table.slice(0, table.indexOf('</table>'))).toMatch(/<caption>[\s\S]*<th scope="col"/);
    }
  });

  it('loads nothing: no scripts, no external resources, and a policy that forbids them', () => {
    const page = renderHtml(buildReport());
    const tags = startTags(page);
    expect(tags.filter((tag) => tag.name === 'script' || tag.name === 'img' || tag.name === 'iframe' || tag.name === 'object')).toEqual([]);
    const links = tags.flatMap((tag) => tag.attributes.filter(([name]) => name === 'href' || name === 'src').map(([, value]) => value));
    expect(links.filter((href) => !href.startsWith('#') && href !== 'data:,')).toEqual([]);
    expect(page).not.toMatch(/@import|url\(/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;;`);
  });

  it('turns no hostile value into markup', () => {
    const report = buildReport({ partial: true });
    const page = renderHtml(report);
    const tags = startTags(page);
    expect(tags.map((tag) => tag.name).filter((name) => !PAGE_TAGS.has(name))).toEqual([]);
    const eventHandlers = tags.flatMap((tag) => tag.attributes.filter(([name]) => name.toLowerCase().startsWith('on')));
    expect(eventHandlers).toEqual([]);
    expect(page).not.toContain(HOSTILE.script);
    expect(page).not.toContain(HOSTILE.imageOnError);
    expect(page).not.toContain(HOSTILE.quotes);
    expect(page).not.toContain(HOSTILE.entities);
  });

  it('shows hostile values as text, escaped', () => {
    const page = renderHtml(buildReport());
    expect(page).toContain('&lt;script&gt;window.__pwned = true&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=&quot;window.__pwned = true&quot;&gt;');
    expect(page).toContain('&quot;\\&quot;quotes\\&quot; and &#39;apostrophes&#39;&quot;');
    expect(page).toContain('closes ]]&gt; a CDATA section');
    expect(page).toContain(HOSTILE.emoji);
  });

  it('summarises the run and warns about a partial one', () => {
    const partial = renderHtml(buildReport({ partial: true }));
    expect(partial).toContain('<span class="score">71.5<span class="muted">/100</span></span> <span class="badge verdict-blocked">blocked</span>');
    expect(partial).toContain('minimum 80: not met');
    expect(partial).toContain('<strong>Partial run.</strong>');
    expect(partial).toContain('<span class="badge outcome-different">2 different</span>');
    expect(partial).toContain('<span class="badge label-unexplained">5 unexplained</span>');
    expect(renderHtml(buildReport())).not.toContain('Partial run');
  });

  it('has a row per endpoint with verdict, score, ratio, overhead and unexplained count', () => {
    const report = buildReport();
    const table = between(renderHtml(report), '<table class="endpoints">', '</table>');
    expect(count(table, '<th scope="row">')).toBe(report.endpoints.length);
    for (const verdict of ['ready', 'ready-via-gateway', 'blocked', 'removed', 'untested']) {
      expect(table).toContain(`<span class="badge verdict-${verdict}">${verdict}</span>`);
    }
    expect(table).toContain('<td class="number over-threshold">2.45× (over threshold)</td>');
    expect(table).toContain('<td class="number">1.8 ms</td>');
    expect(table).toContain('<a href="#scenario-3">list knowledge &lt;script&gt;');
  });

  it('lists untested endpoints and unexercised rules', () => {
    const coverage = between(renderHtml(buildReport()), '<section id="coverage"', '</section>');
    expect(coverage).toContain('<li><code>GET /tasks/{id}</code></li>');
    expect(count(coverage, '<tr><th scope="row">')).toBe(5);
    expect(coverage).toContain('<tr><th scope="row">mapping-wide</th><td><code>/<wbr>resources/<wbr>Knowledge/<wbr>2</code></td></tr>');
  });

  it('shows what the v1 requests got straight from v2, collapsed below the gateway results', () => {
    const report = buildReport();
    const page = renderHtml(report);
    const getById = between(page, '<article class="scenario" id="scenario-2"', '</article>');
    const direct = getById.slice(getById.indexOf('<details class="direct">'));
    expect(direct).toContain('Straight to v2, without the gateway: <span class="badge outcome-different">different</span> (2 differences)');
    expect(direct).toContain('<li><code>/<wbr>body/<wbr>id</code>: v1 <code>42</code>, v2 <code>&quot;42&quot;</code></li>');
    const timedOut = between(page, '<article class="scenario" id="scenario-5"', '</article>');
    expect(timedOut.slice(timedOut.indexOf('Straight to v2'))).toContain('<pre>v2 timed out after 5000 ms: &lt;script&gt;');
    const update = between(page, '<article class="scenario" id="scenario-6"', '</article>');
    expect(update).toContain('No differences: v1 clients could call v2 directly.');
  });

  it('shows unexplained differences with both values side by side, and explained ones and noise collapsed', () => {
    const report = buildReport();
    const page = renderHtml(report);
    expect(count(page, '<tr class="row-unexplained">')).toBe(allDifferences(report, 'unexplained').length);
    expect(count(page, '<tr class="row-explained">') + count(page, '<tr class="row-noise">')).toBe(0);
    const settled = allDifferences(report, 'explained').length + allDifferences(report, 'noise').length;
    expect(count(page, '<li><span class="badge label-explained">') + count(page, '<li><span class="badge label-noise">')).toBe(settled);
    expect(page).toContain('<details class="settled"><summary>3 explained or noise</summary>');
    expect(page).toContain('<td class="value"><pre>3</pre></td>\n<td class="value"><pre>&quot;3&quot;</pre></td>');
    expect(page).toContain('<td class="value"><pre>&quot;12&quot;</pre></td>\n<td class="value"><pre>(absent)</pre></td>');
  });

  it('lists scenarios by severity: errors, then the most unexplained differences, then the rest', () => {
    const overview = between(renderHtml(buildReport()), '<table class="scenario-overview">', '</table>');
    const order = [...overview.matchAll(/<a href="#scenario-(\d+)">/g)].map((match) => Number(match[1]));
    expect(order).toEqual([5, 4, 3, 2, 1, 6]);
  });

  it('opens with what to fix first, and greys out zero counts', () => {
    const page = renderHtml(buildReport());
    const top = between(page, '<section id="fix-first"', '</section>');
    expect(page.indexOf('<section id="fix-first"')).toBeLessThan(page.indexOf('<main>'));
    expect(top).toContain('<li><strong>1 scenario could not be judged</strong>');
    expect(top).toContain('body.count: 1 scenario (intermittent), endpoints knowledge.update, search');
    expect(renderHtml(buildReport({ scenarios: [buildScenario('clean')] }))).toContain('<span class="badge zero">0 different</span>');
  });

  it('caps huge values and difference lists', () => {
    const differences = Array.from({ length: HTML_LIMITS.differencesPerScenario + 3 }, (_, i) => buildDifference(`/body/${i}`, 'unexplained', { v1: 'v'.repeat(10_000), actual: i }));
    const page = renderHtml(buildReport({ scenarios: [buildScenario('big', { outcome: 'different', differences })] }));
    expect(count(page, '<tr class="row-unexplained">')).toBe(HTML_LIMITS.differencesPerScenario);
    expect(page).toContain('…and 3 more differences in report.json.');
    expect(page).not.toContain('v'.repeat(HTML_LIMITS.valueChars));
  });

  it('shows a scenario error and failed expectations', () => {
    const page = renderHtml(buildReport());
    expect(page).toContain('<strong>Could not be judged:</strong><pre>gateway timed out after 5000 ms: &lt;img');
    expect(page).toContain('gateway, step 0: <pre>expected header x-total-count, got none |pipes| split | cells</pre>');
  });

  it('draws latency charts as labelled inline SVG for the scenarios that failed, one line of p50s for the rest', () => {
    const report = buildReport();
    const page = renderHtml(report);
    const charted = report.scenarios.filter((scenario) => Object.keys(scenario.latency).length > 0 && (scenario.outcome === 'different' || scenario.outcome === 'error'));
    // Per failed scenario a percentile chart and a sample strip, plus the endpoint ratio chart.
    expect(count(page, '<svg ')).toBe(charted.length * 2 + 1);
    expect(count(page, 'role="img"')).toBe(charted.length * 2 + 1);
    const chart = between(page, '<svg xmlns="http://www.w3.org/2000/svg" class="chart percentile-chart"', '</svg>');
    expect(chart).toContain('<title id="scenario-5-percentiles-title">Latency percentiles of search times out</title>');
    const strip = between(page, 'class="chart strip-chart"', '</svg>');
    expect(count(strip, '<circle class="dot"')).toBe(5);
    const list = between(page, '<article class="scenario" id="scenario-3"', '</article>');
    expect(count(list, '<rect class="bar"')).toBe(12);
    const execute = between(page, '<article class="scenario" id="scenario-1"', '</article>');
    expect(execute).toMatch(/<p class="muted">Latency p50: v1 [\d.]+ ms \(20 samples\) · gateway [\d.]+ ms \(20 samples\)<\/p>/);
  });

  it('draws all four targets where they were measured, in a fixed order', () => {
    const article = between(renderHtml(buildReport()), '<article class="scenario" id="scenario-3"', '</article>');
    const rows = [...between(article, 'class="chart strip-chart"', '</svg>').matchAll(/<g class="t-([\w-]+)">/g)].map((match) => match[1]);
    expect(rows).toEqual(['v1', 'gateway', 'direct', 'v2-floor']);
  });

  it('marks endpoints over the latency threshold in the ratio chart', () => {
    const chart = between(renderHtml(buildReport()), 'class="chart ratio-chart"', '</svg>');
    expect(count(chart, '<g class="over-threshold">')).toBe(1);
    expect(count(chart, '<g class="within-threshold">')).toBe(3);
    expect(chart).toContain('<line class="threshold"');
  });

  it('gives every scenario its own anchor, even when names repeat', () => {
    const scenarios = [buildScenario('twice'), buildScenario('twice'), buildScenario('<odd id>')];
    const page = renderHtml(buildReport({ scenarios }));
    const ids = [...page.matchAll(/<article class="scenario" id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids).toEqual(['scenario-1', 'scenario-2', 'scenario-3']);
  });

  it('prints the formula', () => {
    const report = buildReport();
    expect(renderHtml(report)).toContain(`<pre class="formula">${report.formula.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>`);
  });

  it('renders an empty report without charts', () => {
    const page = renderHtml(buildEmptyReport());
    expect(page).toContain('No endpoints in this report.');
    expect(page).toContain('No scenarios ran.');
    expect(page).not.toContain('<svg');
  });

  it('depends on the report only, not on the clock', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = renderHtml(buildReport());
    vi.setSystemTime(new Date('2031-06-15T12:00:00Z'));
    expect(renderHtml(buildReport())).toBe(first);
  });
});
