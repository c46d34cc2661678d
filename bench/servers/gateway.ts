import { fileURLToPath } from 'node:url';
import { loadMappingFile } from '../../src/io/load-mapping.js';
import { GatewayMetrics } from '../../src/server/admin.js';
import { startGateway } from '../../src/server/gateway.js';
import { requiredArgument, serveMeasurements } from './protocol.js';

/*
 * The gateway as `api-compat serve` runs it (Prometheus metrics observer included), serving the
 * bench mapping against the bench's fixed upstream.
 */

const mapping = fileURLToPath(new URL('../bench-mapping.yaml', import.meta.url));
const { table } = await loadMappingFile(mapping, { env: { BENCH_UPSTREAM: requiredArgument('upstream') } });
const running = await startGateway({ table, observer: new GatewayMetrics() });
serveMeasurements(running.url);
