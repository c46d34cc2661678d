import { fileURLToPath } from 'node:url';
import { loadMappingFile } from '../../src/io/load-mapping.js';
import { GatewayMetrics } from '../../src/server/admin.js';
import { startGateway } from '../../src/server/gateway.js';
import { requiredArgument, serveMeasurements } from './protocol.js';

/*
 * The gateway of the soak run: the bench mapping, metrics on, and a one-second deadline so that
 * the soak's slow and hung upstream faults are answered (504) well within its latency threshold.
 */

const mapping = fileURLToPath(new URL('../bench-mapping.yaml', import.meta.url));
const { table } = await loadMappingFile(mapping, { env: { BENCH_UPSTREAM: requiredArgument('upstream') } });
const running = await startGateway({ table, observer: new GatewayMetrics(), upstreamOptions: { deadline: 1_000, headersTimeout: 1_000, bodyTimeout: 1_000, connectTimeout: 500 } });
serveMeasurements(running.url);
