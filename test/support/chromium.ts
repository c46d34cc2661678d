import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/*
 * The browser the HTML report is tested in. Debian's Chromium when the machine has it; otherwise
 * the headless Chromium that the @sparticuz/chromium dev dependency ships inside the npm package,
 * so `npm ci && npm test` needs nothing from apt. (`npx playwright install` downloads from a CDN,
 * which a closed CI network refuses.) API_COMPAT_CHROMIUM names another binary, or `bundled` to use
 * the npm one even where Debian's is installed.
 */

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface LaunchedChromium {
  browser: Browser;
  /** Where the binary came from, for failure messages. */
  executablePath: string;
}

export async function chromiumExecutable(): Promise<string> {
  const named = process.env.API_COMPAT_CHROMIUM;
  if (named && named !== 'bundled') {
    if (!existsSync(named)) throw new Error(`API_COMPAT_CHROMIUM names ${named}, which does not exist; unset it to use ${SYSTEM_CHROMIUM} or the bundled Chromium`);
    return named;
  }
  if (named !== 'bundled' && existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  // Unpacks its brotli-compressed binary into the temporary folder once, then reuses it.
  const { default: bundled } = await import('@sparticuz/chromium');
  return bundled.executablePath();
}

export async function launchChromium(): Promise<LaunchedChromium> {
  const executablePath = await chromiumExecutable();
  const browser = await chromium.launch({ executablePath, args: ARGS });
  return { browser, executablePath };
}
