import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import { renderHtml } from '../../src/render/report-html.js';
import { renderJunit } from '../../src/render/report-junit.js';
import { launchChromium } from '../support/chromium.js';
import { buildReport, HOSTILE } from './fixtures.js';

/*
 * Opens report.html in a real browser (Chromium through playwright-core, see test/support/chromium.ts) the way a user
 * opens the file offline, and checks what only a browser can tell: the page runs without errors,
 * requests nothing but itself, draws its charts, and executes none of the hostile data. The same
 * browser's XML parser then reads junit.xml, as a stand-in for the parsers in GitLab and Jenkins.
 */

interface OpenedReport {
  page: Page;
  url: string;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

let browser: Browser;
let directory: string;
let fileCount = 0;

beforeAll(async () => {
  ({ browser } = await launchChromium());
  directory = mkdtempSync(join(tmpdir(), 'api-compat-report-html-'));
});

afterAll(async () => {
  await browser?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function openReport(report: CompatReport, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedReport> {
  const file = join(directory, `report-${++fileCount}.html`);
  writeFileSync(file, renderHtml(report));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const opened: OpenedReport = { page, url, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.pageErrors.push(error.message));
  page.on('request', (request) => opened.requests.push(request.url()));
  await page.emulateMedia({ colorScheme });
  await page.goto(url, { waitUntil: 'load' });
  return opened;
}

/** The browser globals used below, typed locally: the project compiles without the DOM library. */
interface BrowserGlobals {
  __pwned?: unknown;
  document: { body: unknown; title: string };
  getComputedStyle(element: unknown): { backgroundColor: string; color: string };
}

describe('report.html in Chromium', () => {
  it('loads offline with no console errors, no page errors and no request but the file itself', async () => {
    const { page, url, consoleErrors, pageErrors, requests } = await openReport(buildReport({ partial: true }));
    // Give anything deferred (fonts, favicons, lazy images) a moment to ask for the network.
    await page.waitForTimeout(300);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('runs none of the hostile data and shows it as text instead', async () => {
    const { page } = await openReport(buildReport());
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBeUndefined();
    expect(await page.locator('script, img, iframe, object, embed').count()).toBe(0);
    expect(await page.getByText(HOSTILE.script).count()).toBeGreaterThan(0);
    expect(await page.getByText(HOSTILE.imageOnError).count()).toBeGreaterThan(0);
    expect(await page.title()).toBe('API compatibility: knowledge "smoke" & <core>: blocked, 71.5/100');
    await page.close();
  });

  it('draws every latency chart as visible inline SVG', async () => {
    const report = buildReport();
    const { page } = await openReport(report);
    const charts = await page.locator('svg.chart').all();
    // Charts per scenario that failed (the others get a line of p50s), plus the endpoint ratio chart.
    const charted = report.scenarios.filter((scenario) => Object.keys(scenario.latency).length > 0 && (scenario.outcome === 'different' || scenario.outcome === 'error')).length;
    expect(charts).toHaveLength(charted * 2 + 1);
    for (const chart of charts) {
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(20);
      expect(await chart.getAttribute('role')).toBe('img');
    }
    const bars = await page.locator('svg.percentile-chart rect.bar').all();
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) expect((await bar.boundingBox())?.width).toBeGreaterThan(0);
    expect(await page.locator('svg.strip-chart circle.dot').count()).toBeGreaterThan(100);
    await page.close();
  });

  it('shows the "what to fix first" list above the fold, without scrolling', async () => {
    const { page } = await openReport(buildReport({ partial: true }));
    const viewport = page.viewportSize()!;
    const list = page.locator('#fix-first');
    expect(await list.isVisible()).toBe(true);
    const heading = await page.getByRole('heading', { name: 'What to fix first' }).boundingBox();
    const items = await list.locator('li').all();
    expect(items.length).toBeGreaterThan(2);
    const first = await items[0]!.boundingBox();
    const third = await items[2]!.boundingBox();
    for (const box of [heading, first, third]) {
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    }
    expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
    await page.close();
  });

  it('is labelled for assistive technology', async () => {
    const { page } = await openReport(buildReport());
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Readiness per mapped endpoint' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: 'Gateway/v1 latency ratio per endpoint' }).count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: 'Verdict' }).count()).toBe(1);
    await page.close();
  });

  it('follows the reader’s dark colour scheme', async () => {
    const background = async (scheme: 'light' | 'dark') => {
      const { page } = await openReport(buildReport(), scheme);
      const colour = await page.evaluate(() => {
        const window = globalThis as unknown as BrowserGlobals;
        return window.getComputedStyle(window.document.body).backgroundColor;
      });
      await page.close();
      return colour;
    };
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).not.toBe('rgb(255, 255, 255)');
  });
});

describe('junit.xml in Chromium’s XML parser', () => {
  it('parses, with one testsuite, a testcase per scenario, and its failures and errors', async () => {
    const report = buildReport();
    const page = await browser.newPage();
    const counts = await page.evaluate((xml) => {
      interface XmlDocumentLike {
        getElementsByTagName(name: string): { length: number };
      }
      const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(text: string, type: string): XmlDocumentLike } };
      const document = new DOMParser().parseFromString(xml, 'application/xml');
      const countOf = (name: string) => document.getElementsByTagName(name).length;
      return { parseErrors: countOf('parsererror'), suites: countOf('testsuite'), testcases: countOf('testcase'), failures: countOf('failure'), errors: countOf('error') };
    }, renderJunit(report));
    await page.close();
    expect(counts).toEqual({ parseErrors: 0, suites: 1, testcases: report.scenarios.length, failures: 2, errors: 1 });
  });
});
