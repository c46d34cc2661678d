import type { CompiledTable } from '../core/mapping/compiled.js';
import { UpstreamClient, type UpstreamOptions } from '../upstream/upstream-client.js';
import { createApp } from './create-app.js';
import { listen, type ListeningServer } from './listen.js';
import type { GatewayObserver } from './observer.js';

export interface GatewayConfig {
  table: CompiledTable;
  /** Overrides the mapping's `upstream`. */
  upstreamUrl?: string;
  /** Overrides the mapping's `legacy`. */
  legacyUrl?: string;
  upstreamOptions?: Partial<UpstreamOptions>;
  observer?: GatewayObserver;
  clientHeader?: string;
}

/**
 * A gateway whose table can be swapped while it serves: requests in flight finish on the table
 * they started with, new ones see the new table. Upstream pools are kept across swaps unless
 * the origin changes.
 */
export class Gateway {
  private app!: ReturnType<typeof createApp>;
  private upstream!: UpstreamClient;
  private legacy?: UpstreamClient;
  private current!: GatewayConfig;

  constructor(config: GatewayConfig) {
    this.install(config);
  }

  get table(): CompiledTable {
    return this.current.table;
  }

  get upstreamUrl(): string {
    return this.current.upstreamUrl ?? this.current.table.upstream;
  }

  get legacyUrl(): string | undefined {
    return this.current.legacyUrl ?? this.current.table.legacy;
  }

  readonly fetch = (request: Request, env?: unknown): Response | Promise<Response> => this.app.fetch(request, env as never);

  reload(table: CompiledTable): void {
    this.install({ ...this.current, table });
  }

  private install(config: GatewayConfig): void {
    const upstreamUrl = config.upstreamUrl ?? config.table.upstream;
    const legacyUrl = config.legacyUrl ?? config.table.legacy;
    const retired: UpstreamClient[] = [];
    if (!this.upstream || new URL(upstreamUrl).href !== new URL(this.upstreamUrl).href) {
      if (this.upstream) retired.push(this.upstream);
      this.upstream = new UpstreamClient(upstreamUrl, config.upstreamOptions);
    }
    if ((legacyUrl ?? '') !== (this.legacy ? (this.legacyUrl ?? '') : '')) {
      if (this.legacy) retired.push(this.legacy);
      this.legacy = legacyUrl ? new UpstreamClient(legacyUrl, config.upstreamOptions) : undefined;
    }
    this.current = config;
    this.app = createApp({ table: config.table, upstream: this.upstream, legacy: this.legacy, observer: config.observer, clientHeader: config.clientHeader });
    // Let requests still using a retired pool finish before closing it.
    for (const client of retired) setTimeout(() => void client.close(), 30_000).unref();
  }

  async close(): Promise<void> {
    await Promise.all([this.upstream.close(), this.legacy?.close()]);
  }
}

export interface RunningGateway {
  gateway: Gateway;
  server: ListeningServer;
  url: string;
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig & { port?: number; host?: string }): Promise<RunningGateway> {
  const gateway = new Gateway(config);
  const server = await listen(gateway, { port: config.port, host: config.host });
  return {
    gateway,
    server,
    url: server.url,
    close: async () => {
      await server.close();
      await gateway.close();
    },
  };
}
