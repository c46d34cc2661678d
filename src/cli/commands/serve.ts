import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { LevelWithSilent } from 'pino';
import { loadMappingFile } from '../../io/load-mapping.js';
import { formatDiagnostic, SourceLoadError } from '../../io/yaml-source.js';
import { accessLogObserver, allObservers, createLogger, LOG_LEVELS } from '../../server/access-log.js';
import { createAdminApp, GatewayMetrics } from '../../server/admin.js';
import { startGateway, trustedProxyList, type RunningGateway } from '../../server/gateway.js';
import { listen, ListenError, type ListeningServer } from '../../server/listen.js';
import { circuitAwareReadiness, upstreamReadiness } from '../../server/readiness.js';
import { DEFAULT_CIRCUIT_COOLDOWN_MS, DEFAULT_CIRCUIT_WINDOW_MS } from '../../upstream/circuit-breaker.js';
import { rolloutOf, rolloutProblems } from '../../server/rollout.js';
import { watchFile } from '../../server/watch-mapping.js';
import { inputError } from '../cli-error.js';
import { EXIT, untilStopped, type CliIo } from '../cli-io.js';
import { loadMappingForCommand } from '../load-or-report.js';
import { parsePort, parsePositiveInteger, parseUrlOption } from '../options.js';

export interface ServeOptions {
  mapping: string;
  port: number;
  host: string;
  upstream?: string;
  legacy?: string;
  adminPort?: number;
  adminHost: string;
  adminToken?: string;
  watch: boolean;
  bodyLimit: number;
  timeout: number;
  drainTimeout: number;
  memoryBudget: number;
  maxConcurrent: number;
  maxQueued: number;
  circuitBreaker?: number;
  circuitWindow: number;
  circuitCooldown: number;
  circuitOn5xx?: boolean;
  trustedProxies?: string[];
  metricsClients?: string[];
  upstreamReadiness: boolean;
  logLevel: LevelWithSilent;
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseProxies(value: string): string[] {
  const entries = parseList(value);
  try {
    trustedProxyList(entries);
  } catch {
    throw new InvalidArgumentError('expected IP addresses or CIDR ranges separated by commas, such as 10.0.0.0/8,127.0.0.1');
  }
  return entries;
}

/** Every flag also reads an environment variable, for containers: `--admin-port` is API_COMPAT_ADMIN_PORT. */
function flag(flags: string, description: string, env: string): Option {
  return new Option(flags, description).env(`API_COMPAT_${env}`);
}

/**
 * Switches (`--no-watch`, `--circuit-on-5xx`, ...) set from the environment. Commander turns a
 * switch on whenever its variable exists, so `API_COMPAT_NO_WATCH=0` would disable watching; read
 * the value instead: 1/true/yes/on sets the switch, 0/false/no/off or empty leaves it unset, and
 * anything else is a configuration error rather than a guess.
 */
function readSwitchesFromEnvironment(command: Command): void {
  for (const option of command.options) {
    if (!option.envVar || option.required || option.optional) continue;
    const name = option.attributeName();
    if (command.getOptionValueSource(name) !== 'env') continue;
    const value = (process.env[option.envVar] ?? '').trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) continue;
    if (['0', 'false', 'no', 'off', ''].includes(value)) {
      command.setOptionValueWithSource(name, option.negate, 'default');
      continue;
    }
    throw inputError(`${option.envVar}=${process.env[option.envVar]} is not a yes or no`, `set it to 1 (${option.long} on) or 0 (off), or unset it`);
  }
}

export function registerServe(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .hook('preAction', (command) => readSwitchesFromEnvironment(command))
    .description('run the gateway: v1 in, v2 out, as the mapping says')
    .addOption(flag('--mapping <file>', 'mapping file', 'MAPPING').makeOptionMandatory())
    .addOption(flag('--port <n>', 'port for v1 clients', 'PORT').argParser(parsePort).default(8080))
    .addOption(flag('--host <address>', 'address to listen on (0.0.0.0 to accept other machines)', 'HOST').default('127.0.0.1'))
    .addOption(flag('--upstream <url>', "v2 base URL (overrides the mapping's upstream)", 'UPSTREAM').argParser(parseUrlOption))
    .addOption(flag('--legacy <url>', 'v1 base URL for routes the mapping does not cover', 'LEGACY').argParser(parseUrlOption))
    .addOption(flag('--admin-port <n>', 'port for /metrics, /healthz, /readyz, /routes', 'ADMIN_PORT').argParser(parsePort))
    .addOption(flag('--admin-host <address>', 'address the admin port listens on', 'ADMIN_HOST').default('127.0.0.1'))
    .addOption(flag('--admin-token <token>', 'bearer token for /metrics and /routes (probes stay open)', 'ADMIN_TOKEN'))
    .addOption(flag('--no-watch', 'do not reload the mapping when the file changes', 'NO_WATCH'))
    .addOption(flag('--body-limit <bytes>', 'largest body translated in memory (larger: 413 or 502)', 'BODY_LIMIT').argParser(parsePositiveInteger).default(10 * 1024 * 1024, '10 MiB'))
    .addOption(flag('--timeout <ms>', 'upstream header and body timeout, and deadline for a whole translated answer', 'TIMEOUT').argParser(parsePositiveInteger).default(30_000))
    .addOption(flag('--drain-timeout <ms>', 'on SIGTERM, how long in-flight requests may take to finish', 'DRAIN_TIMEOUT').argParser(parsePositiveInteger).default(10_000))
    .addOption(flag('--memory-budget <bytes>', 'body bytes held in memory at once, all requests together (beyond: 503)', 'MEMORY_BUDGET').argParser(parsePositiveInteger).default(256 * 1024 * 1024, '256 MiB'))
    .addOption(flag('--max-concurrent <n>', 'requests in flight to each upstream at once', 'MAX_CONCURRENT').argParser(parsePositiveInteger).default(128))
    .addOption(flag('--max-queued <n>', 'requests waiting for each upstream (beyond: 503)', 'MAX_QUEUED').argParser(parsePositiveInteger).default(1024))
    .addOption(flag('--circuit-breaker <failures>', 'stop calling an upstream after this many failures in a row (off by default): 503 at once until a probe succeeds', 'CIRCUIT_BREAKER').argParser(parsePositiveInteger))
    .addOption(flag('--circuit-window <ms>', 'with --circuit-breaker: failures count as in a row only within this time', 'CIRCUIT_WINDOW').argParser(parsePositiveInteger).default(DEFAULT_CIRCUIT_WINDOW_MS))
    .addOption(flag('--circuit-cooldown <ms>', 'with --circuit-breaker: how long an open circuit waits before one probe', 'CIRCUIT_COOLDOWN').argParser(parsePositiveInteger).default(DEFAULT_CIRCUIT_COOLDOWN_MS))
    .addOption(flag('--circuit-on-5xx', 'with --circuit-breaker: count 5xx answers as failures too', 'CIRCUIT_ON_5XX'))
    .addOption(flag('--trusted-proxies <list>', 'addresses/CIDRs whose X-Forwarded-* are kept (default: none)', 'TRUSTED_PROXIES').argParser(parseProxies))
    .addOption(flag('--metrics-clients <list>', 'client ids given their own metrics label; others count as "other"', 'METRICS_CLIENTS').argParser(parseList))
    .addOption(flag('--no-upstream-readiness', '/readyz does not check that the upstream is reachable', 'NO_UPSTREAM_READINESS'))
    .addOption(flag('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'LOG_LEVEL').choices(LOG_LEVELS).default('info'))
    .addHelpText('after', '\nEvery option can also be set as an environment variable: --admin-port is API_COMPAT_ADMIN_PORT.\n\nExample:\n  api-compat serve --mapping mappings/knowledge.yaml --port 8080 --upstream http://127.0.0.1:4002 --admin-port 9090')
    .action(async (options: ServeOptions) => setExit(await serveCommand(options, io)));
}

export async function serveCommand(options: ServeOptions, io: CliIo): Promise<number> {
  const logger = createLogger(options.logLevel, (line) => io.stderr(line));
  const loaded = await loadMappingForCommand(options.mapping, io);
  if (!loaded) return EXIT.badInput;
  const rollout = rolloutOf(loaded.document);
  const modeProblems = rolloutProblems(rollout, Boolean(options.legacy ?? loaded.table.legacy));
  if (modeProblems.length) {
    for (const problem of modeProblems) io.stderr(`api-compat serve: ${options.mapping}: ${problem}\n`);
    return EXIT.badInput;
  }
  const metrics = new GatewayMetrics({ clients: options.metricsClients });
  const state = { draining: false };
  let running: RunningGateway;
  let admin: ListeningServer | undefined;
  try {
    running = await startGateway({
      table: loaded.table,
      document: loaded.document,
      upstreamUrl: options.upstream,
      legacyUrl: options.legacy,
      port: options.port,
      host: options.host,
      observer: allObservers(metrics, accessLogObserver(logger)),
      memoryBudget: options.memoryBudget,
      trustedProxies: options.trustedProxies,
      rollout,
      upstreamOptions: {
        bodyLimit: options.bodyLimit,
        headersTimeout: options.timeout,
        bodyTimeout: options.timeout,
        deadline: options.timeout,
        maxConcurrent: options.maxConcurrent,
        maxQueued: options.maxQueued,
        ...(options.circuitBreaker ? { circuitBreaker: { failures: options.circuitBreaker, windowMs: options.circuitWindow, cooldownMs: options.circuitCooldown, countServerErrors: options.circuitOn5xx ?? false } } : {}),
      },
    });
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    io.stderr(`api-compat serve: ${error.message}\n`);
    return EXIT.badInput;
  }
  try {
    const gateway = running.gateway;
    const reachable = options.upstreamReadiness ? upstreamReadiness(() => gateway.upstreamUrl) : undefined;
    const ready = reachable && options.circuitBreaker ? circuitAwareReadiness(reachable, () => gateway.upstreamClient.circuitState) : reachable;
    if (options.circuitBreaker) metrics.watchCircuits(() => gateway.circuitStates());
    admin = options.adminPort !== undefined ? await listen(createAdminApp(gateway, metrics, state, { token: options.adminToken, ready }), { port: options.adminPort, host: options.adminHost }) : undefined;
  } catch (error) {
    await running.close();
    if (!(error instanceof ListenError)) throw error;
    io.stderr(`api-compat serve: admin ${error.message}\n`);
    return EXIT.badInput;
  }
  logger.info({ url: running.url, admin: admin?.url, mapping: loaded.table.name, upstream: running.gateway.upstreamUrl, legacy: running.gateway.legacyUrl ?? null }, 'gateway listening');

  const file = resolve(io.cwd, options.mapping);
  const stopWatching = options.watch
    ? watchFile(file, () => {
        loadMappingFile(file, { env: io.env, displayName: options.mapping })
          .then((next) => {
            // Throws, keeping the previous table, when a mode needs a legacy API there is none of.
            running.gateway.reload(next.table, rolloutOf(next.document), next.document);
            return next;
          })
          .then(
            (next) => {
              metrics.reloads.inc({ result: 'applied' });
              logger.info({ endpoints: next.table.endpoints.length }, 'mapping reloaded');
            },
            (error: unknown) => {
              metrics.reloads.inc({ result: 'rejected' });
              const problems = error instanceof SourceLoadError ? error.diagnostics.map(formatDiagnostic) : [String(error)];
              logger.error({ problems }, 'mapping reload rejected; still serving the previous mapping');
            },
          );
      })
    : () => {};

  await untilStopped(io.stop);
  state.draining = true;
  stopWatching();
  logger.info({ timeoutMs: options.drainTimeout }, 'draining in-flight requests');
  const forced = setTimeout(() => running.server.server.closeAllConnections(), options.drainTimeout);
  await running.close();
  clearTimeout(forced);
  await admin?.close();
  logger.info('stopped');
  return EXIT.ok;
}
