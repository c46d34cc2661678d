import { BlockList, isIPv6 } from 'node:net';
import type { CompiledTable } from '../core/mapping/compiled.js';
import { exercisedRules } from '../core/mapping/rule-coverage.js';
import { buildRuleInventory, type RuleInventory } from '../core/mapping/rule-inventory.js';
import type { MappingDocument } from '../core/model/mapping.js';
import type { CircuitState } from '../upstream/circuit-breaker.js';
import { DEFAULT_JSON_LIMITS, type JsonLimits } from '../upstream/json-limits.js';
import { DEFAULT_MEMORY_BUDGET, MemoryBudget } from '../upstream/memory-budget.js';
import { UpstreamClient, type UpstreamOptions } from '../upstream/upstream-client.js';
import { createApp } from './create-app.js';
import { listen, type ListenOptions, type ListeningServer } from './listen.js';
import type { RequestPolicy } from './message-io.js';
import type { GatewayObserver } from './observer.js';
import { rolloutProblems, type RolloutTable } from './rollout.js';
import { ShadowComparer, type ShadowOptions } from './shadow.js';

export interface GatewayConfig {
  table: CompiledTable;
  /** Overrides the mapping's `upstream`. */
  upstreamUrl?: string;
  /** Overrides the mapping's `legacy`. */
  legacyUrl?: string;
  upstreamOptions?: Partial<UpstreamOptions>;
  observer?: GatewayObserver;
  clientHeader?: string;
  /** Bytes of bodies held in memory at once, across every exchange (503 past it). */
  memoryBudget?: number;
  /** Shape limits on translated JSON bodies, both directions. */
  jsonLimits?: Partial<JsonLimits>;
  /** Addresses and CIDR ranges (`10.0.0.0/8`) of proxies whose X-Forwarded-* are believed. */
  trustedProxies?: string[];
  /** Per-endpoint rollout modes from the mapping (absent: every endpoint is translated). */
  rollout?: RolloutTable;
  shadowOptions?: ShadowOptions;
  /** The mapping as written: lets shadow traffic record which of its rules ran (the report's coverage). */
  document?: MappingDocument;
}

/** `10.0.0.0/8`, `::1`, `127.0.0.1` into a BlockList; throws on anything else. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIPv6(address!) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(prefix), family);
  }
  return list;
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
  private rules?: RuleInventory;
  /** Shared by every exchange and kept across reloads: one budget for the whole process. */
  readonly memoryBudget: MemoryBudget;
  private readonly policy: RequestPolicy;
  /** Shadow comparisons, kept across reloads so their counts and learnt noise survive them. */
  readonly shadow: ShadowComparer;

  constructor(config: GatewayConfig) {
    this.memoryBudget = new MemoryBudget(config.memoryBudget ?? DEFAULT_MEMORY_BUDGET);
    const jsonLimits = { ...DEFAULT_JSON_LIMITS, ...config.jsonLimits };
    this.shadow = new ShadowComparer({ ...config.shadowOptions, onResult: (endpoint, result) => config.observer?.shadow?.(endpoint, result) });
    this.policy = { jsonLimits, memoryBudget: this.memoryBudget, trustedProxies: config.trustedProxies?.length ? trustedProxyList(config.trustedProxies) : undefined };
    this.install(config);
  }

  /** The v2 client, for readiness probes. */
  get upstreamClient(): UpstreamClient {
    return this.upstream;
  }

  /** The circuit breakers' states per upstream (`closed` when breakers are off). */
  circuitStates(): Array<{ upstream: 'v2' | 'legacy'; state: CircuitState }> {
    return [{ upstream: 'v2', state: this.upstream.circuitState }, ...(this.legacy ? [{ upstream: 'legacy' as const, state: this.legacy.circuitState }] : [])];
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

  get rollout(): RolloutTable | undefined {
    return this.current.rollout;
  }

  /** The current table's rule inventory, when the mapping document is known. */
  get inventory(): RuleInventory | undefined {
    return this.rules;
  }

  /** Swaps in a new table (and its modes); throws, keeping the old one, if the modes cannot be served. */
  reload(table: CompiledTable, rollout?: RolloutTable, document?: MappingDocument): void {
    this.install({ ...this.current, table, rollout: rollout ?? this.current.rollout, document: document ?? (table === this.current.table ? this.current.document : undefined) });
  }

  private install(config: GatewayConfig): void {
    const upstreamUrl = config.upstreamUrl ?? config.table.upstream;
    const legacyUrl = config.legacyUrl ?? config.table.legacy;
    const problems = config.rollout ? rolloutProblems(config.rollout, Boolean(legacyUrl)) : [];
    if (problems.length) throw new Error(problems.join('; '));
    const retired: UpstreamClient[] = [];
    const upstreamOptions: Partial<UpstreamOptions> = { jsonLimits: this.policy.jsonLimits, memoryBudget: this.memoryBudget, ...config.upstreamOptions };
    if (!this.upstream || new URL(upstreamUrl).href !== new URL(this.upstreamUrl).href) {
      if (this.upstream) retired.push(this.upstream);
      this.upstream = new UpstreamClient(upstreamUrl, upstreamOptions);
    }
    if ((legacyUrl ?? '') !== (this.legacy ? (this.legacyUrl ?? '') : '')) {
      if (this.legacy) retired.push(this.legacy);
      this.legacy = legacyUrl ? new UpstreamClient(legacyUrl, upstreamOptions) : undefined;
    }
    this.current = config;
    const rules = config.document ? buildRuleInventory(config.table, config.document) : undefined;
    this.rules = rules;
    this.shadow.ruleCoverage = rules && ((endpoint, trace, request, response) => exercisedRules(rules, endpoint, trace, request, response));
    this.app = createApp({ table: config.table, upstream: this.upstream, legacy: this.legacy, observer: config.observer, clientHeader: config.clientHeader, policy: this.policy, rollout: config.rollout, shadow: this.shadow });
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

export async function startGateway(config: GatewayConfig & ListenOptions): Promise<RunningGateway> {
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
