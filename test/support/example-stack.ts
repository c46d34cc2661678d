import { fileURLToPath } from 'node:url';
import { startExampleServices, type ExampleServices } from '../../examples/knowledge/start.js';
import type { CompiledTable } from '../../src/core/mapping/compiled.js';
import { loadMappingFile } from '../../src/io/load-mapping.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import type { GatewayObserver } from '../../src/server/observer.js';

export const KNOWLEDGE_MAPPING = fileURLToPath(new URL('../../mappings/knowledge.yaml', import.meta.url));

export async function loadKnowledgeTable(env: Record<string, string> = {}): Promise<CompiledTable> {
  return (await loadMappingFile(KNOWLEDGE_MAPPING, { env: { V2_URL: 'http://127.0.0.1:9', ...env } })).table;
}

export interface ExampleStack {
  services: ExampleServices;
  gateway: RunningGateway;
  close(): Promise<void>;
}

/** The bundled example as users run it: v1 and v2 services and the gateway, all on loopback. */
export async function startExampleStack(options: { legacy?: boolean; observer?: GatewayObserver } = {}): Promise<ExampleStack> {
  const services = await startExampleServices();
  const table = await loadKnowledgeTable({ V2_URL: services.v2.url });
  const gateway = await startGateway({ table, legacyUrl: options.legacy ? services.v1.url : undefined, observer: options.observer });
  return {
    services,
    gateway,
    close: async () => {
      await gateway.close();
      await services.close();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text === '' ? undefined : text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
