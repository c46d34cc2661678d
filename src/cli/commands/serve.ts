import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadMappingFile } from '../../io/load-mapping.js';
import { formatDiagnostic, SourceLoadError } from '../../io/yaml-source.js';
import { createAdminApp, GatewayMetrics } from '../../server/admin.js';
import { startGateway } from '../../server/gateway.js';
import { listen } from '../../server/listen.js';
import { watchFile } from '../../server/watch-mapping.js';
import { EXIT, untilStopped, type CliIo } from '../cli-io.js';
import { loadMappingForCommand } from '../load-or-report.js';
import { parseCount, parsePort, parsePositiveInteger, parseUrlOption } from '../options.js';

export interface ServeOptions {
  mapping: string;
  port: number;
  host: string;
  upstream?: string;
  legacy?: string;
  adminPort?: number;
  watch: boolean;
  bodyLimit: number;
  timeout: number;
  drainTimeout: number;
}

export function registerServe(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('run the gateway: v1 in, v2 out, as the mapping says')
    .requiredOption('--mapping <file>', 'mapping file')
    .option('--port <n>', 'port for v1 clients', parsePort, 8080)
    .option('--host <address>', 'address to listen on (0.0.0.0 to accept other machines)', '127.0.0.1')
    .option('--upstream <url>', "v2 base URL (overrides the mapping's upstream)", parseUrlOption)
    .option('--legacy <url>', 'v1 base URL for routes the mapping does not cover', parseUrlOption)
    .option('--admin-port <n>', 'port for /metrics, /healthz, /readyz, /routes', parsePort)
    .option('--no-watch', 'do not reload the mapping when the file changes')
    .option('--body-limit <bytes>', 'largest body translated in memory (larger: 413 or 502)', parsePositiveInteger, 10 * 1024 * 1024)
    .option('--timeout <ms>', 'upstream header and body timeout', parsePositiveInteger, 30_000)
    .option('--drain-timeout <ms>', 'on SIGTERM, how long in-flight requests may take to finish', parseCount, 10_000)
    .addHelpText('after', '\nExample:\n  api-compat serve --mapping mappings/knowledge.yaml --port 8080 --upstream http://127.0.0.1:4002 --admin-port 9090')
    .action(async (options: ServeOptions) => setExit(await serveCommand(options, io)));
}

export async function serveCommand(options: ServeOptions, io: CliIo): Promise<number> {
  const log = (level: string, msg: string, fields: Record<string, unknown> = {}) =>
    io.stderr(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
  const loaded = await loadMappingForCommand(options.mapping, io);
  if (!loaded) return EXIT.badInput;
  const metrics = new GatewayMetrics();
  const state = { draining: false };
  const running = await startGateway({
    table: loaded.table,
    upstreamUrl: options.upstream,
    legacyUrl: options.legacy,
    port: options.port,
    host: options.host,
    observer: metrics,
    upstreamOptions: { bodyLimit: options.bodyLimit, headersTimeout: options.timeout, bodyTimeout: options.timeout },
  });
  const admin = options.adminPort !== undefined ? await listen(createAdminApp(running.gateway, metrics, state), { port: options.adminPort, host: options.host }) : undefined;
  log('info', 'gateway listening', { url: running.url, admin: admin?.url, mapping: loaded.table.name, upstream: running.gateway.upstreamUrl, legacy: running.gateway.legacyUrl ?? null });

  const file = resolve(io.cwd, options.mapping);
  const stopWatching = options.watch
    ? watchFile(file, () => {
        loadMappingFile(file, { env: io.env, displayName: options.mapping }).then(
          (next) => {
            running.gateway.reload(next.table);
            metrics.reloads.inc({ result: 'applied' });
            log('info', 'mapping reloaded', { endpoints: next.table.endpoints.length });
          },
          (error: unknown) => {
            metrics.reloads.inc({ result: 'rejected' });
            const problems = error instanceof SourceLoadError ? error.diagnostics.map(formatDiagnostic) : [String(error)];
            log('error', 'mapping reload rejected; still serving the previous mapping', { problems });
          },
        );
      })
    : () => {};

  await untilStopped(io.stop);
  state.draining = true;
  stopWatching();
  log('info', 'draining in-flight requests', { timeoutMs: options.drainTimeout });
  const forced = setTimeout(() => {
    if ('closeAllConnections' in running.server.server) running.server.server.closeAllConnections();
  }, options.drainTimeout);
  await running.close();
  clearTimeout(forced);
  await admin?.close();
  log('info', 'stopped');
  return EXIT.ok;
}
