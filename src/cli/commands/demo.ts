import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startExampleServices } from '../../../examples/knowledge/start.js';
import { loadMappingFile } from '../../io/load-mapping.js';
import { startGateway } from '../../server/gateway.js';
import { EXIT, paint, untilStopped, type CliIo } from '../cli-io.js';
import { parsePort } from '../options.js';

export const BUNDLED_MAPPING = fileURLToPath(new URL('../../../mappings/knowledge.yaml', import.meta.url));

export interface DemoOptions {
  port: number;
  v1Port: number;
  v2Port: number;
}

export function registerDemo(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('start the bundled example v1 and v2 services and the gateway in one process (127.0.0.1)')
    .option('--port <n>', 'gateway port', parsePort, 8080)
    .option('--v1-port <n>', 'example v1 service port', parsePort, 4001)
    .option('--v2-port <n>', 'example v2 service port', parsePort, 4002)
    .addHelpText('after', '\nExample:\n  api-compat demo --port 8080\n  npm start')
    .action(async (options: DemoOptions) => setExit(await demoCommand(options, io)));
}

export async function demoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  const services = await startExampleServices({ v1Port: options.v1Port, v2Port: options.v2Port });
  try {
    const { table } = await loadMappingFile(BUNDLED_MAPPING, { env: { ...io.env, V2_URL: services.v2.url, V1_URL: '' } });
    const gateway = await startGateway({ table, port: options.port });
    const bold = paint(io);
    io.stdout(
      [
        bold(1, 'api-compat demo'),
        `  v1 (legacy)  ${services.v1.url}`,
        `  v2 (new)     ${services.v2.url}`,
        `  gateway      ${gateway.url}   speaks v1, served by v2 through ${BUNDLED_MAPPING.replace(/.*\/(mappings\/)/, '$1')}`,
        '',
        'Try the same v1 request against the real v1 and through the gateway:',
        `  curl -i '${services.v1.url}/api/v1/search?q=vector&limit=2'`,
        `  curl -i '${gateway.url}/api/v1/search?q=vector&limit=2'`,
        '',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    await untilStopped(io.stop);
    await gateway.close();
    io.stdout('stopped\n');
    return EXIT.ok;
  } finally {
    await services.close();
  }
}
