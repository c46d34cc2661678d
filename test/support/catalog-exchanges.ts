import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** test/fixtures/catalog-v1-exchanges.yaml: what v1 clients of the catalog example send (format in its header). */
export interface FixtureRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

export interface FixtureStep {
  request: FixtureRequest;
  expect: { status: number; headers?: Record<string, unknown>; body?: unknown };
  capture?: Record<string, string>;
}

export interface FixtureExchange extends Partial<FixtureStep> {
  name: string;
  steps?: FixtureStep[];
}

export const CATALOG_EXCHANGES_PATH = fileURLToPath(new URL('../fixtures/catalog-v1-exchanges.yaml', import.meta.url));

export function catalogExchanges(): FixtureExchange[] {
  return (parse(readFileSync(CATALOG_EXCHANGES_PATH, 'utf8')) as { exchanges: FixtureExchange[] }).exchanges;
}

/** An exchange's requests in order: its steps, or its one request. */
export function stepsOf(exchange: FixtureExchange): Array<Pick<FixtureStep, 'request' | 'capture'>> {
  return exchange.steps ?? [{ request: exchange.request!, capture: exchange.capture }];
}
