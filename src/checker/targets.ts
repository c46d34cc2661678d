import { Agent } from 'undici';
import type { CompiledTable } from '../core/mapping/compiled.js';
import { startGateway, type RunningGateway } from '../server/gateway.js';
import { FloorTarget } from './floor.js';
import { HttpTarget } from './http-target.js';
import type { ScenarioTargets } from './run-scenario.js';

export interface TargetOptions {
  table: CompiledTable;
  v1Url: string;
  /** v2's base URL: the in-process gateway's upstream, `--direct`'s target, resets' v2 side. */
  v2Url?: string;
  /** A running gateway; without it one runs in-process on 127.0.0.1 (needs v2Url). */
  gatewayUrl?: string;
  direct: boolean;
  timeoutMs: number;
  concurrency: number;
  /** Working directory and environment for reset commands. */
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface OpenTargets extends ScenarioTargets {
  /** URLs as reported in `run.targets`. */
  urls: Partial<Record<'v1' | 'gateway' | 'direct' | 'v2-floor', string>>;
  close(): Promise<void>;
}

/** Thrown when the options cannot make a run (exit 2: bad input). */
export class TargetConfigurationError extends Error {}

export async function openTargets(options: TargetOptions): Promise<OpenTargets> {
  const v2Url = options.v2Url ?? options.table.upstream;
  if (!options.gatewayUrl && !options.v2Url) throw new TargetConfigurationError('give --gateway URL (a running gateway), or --v2 URL to run the gateway in-process from the mapping');
  if (options.direct && !options.v2Url) throw new TargetConfigurationError('--direct sends the v1 requests to v2 unchanged: give --v2 URL');
  // One pool for every target, so v1 and the gateway are measured through the same client.
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: Math.max(4, options.concurrency * 4), connect: { timeout: options.timeoutMs } });
  let running: RunningGateway | undefined;
  try {
    if (!options.gatewayUrl) {
      running = await startGateway({
        table: options.table,
        upstreamUrl: v2Url,
        port: 0,
        upstreamOptions: { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, connectTimeout: options.timeoutMs },
      });
    }
  } catch (error) {
    await agent.close();
    throw error;
  }
  const gatewayUrl = options.gatewayUrl ?? running!.url;
  const v1 = new HttpTarget('v1', options.v1Url, agent, options.timeoutMs);
  const v2 = new HttpTarget('v2', v2Url, agent, options.timeoutMs);
  const floor = new FloorTarget(options.table, v2Url, options.timeoutMs);
  return {
    v1,
    gateway: new HttpTarget('gateway', gatewayUrl, agent, options.timeoutMs),
    direct: options.direct ? new HttpTarget('direct', v2Url, agent, options.timeoutMs) : undefined,
    floor,
    reset: { targets: { v1, v2 }, cwd: options.cwd, env: options.env },
    urls: { v1: options.v1Url, gateway: gatewayUrl, 'v2-floor': v2Url, ...(options.direct ? { direct: v2Url } : {}) },
    close: async () => {
      // The client pool first: its idle keep-alive sockets would hold the gateway's close open.
      await agent.close();
      await Promise.allSettled([running?.close(), floor.close()]);
    },
  };
}
