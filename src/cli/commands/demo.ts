import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { startCatalogServices } from '../../../examples/catalog/start.js';
import { startExampleServices, type ExampleServices } from '../../../examples/knowledge/start.js';
import { loadMappingFile } from '../../io/load-mapping.js';
import { loadSuiteFile } from '../../io/load-scenario.js';
import { REPORT_FORMATS } from '../../io/write-report.js';
import { SourceLoadError } from '../../io/yaml-source.js';
import { startGateway } from '../../server/gateway.js';
import { EXIT, paint, untilStopped, type CliIo } from '../cli-io.js';
import { executeCheck } from '../check-run.js';
import { parsePort, parsePositiveNumber } from '../options.js';

export const BUNDLED_MAPPING = fileURLToPath(new URL('../../../mappings/knowledge.yaml', import.meta.url));
export const BUNDLED_SUITE = fileURLToPath(new URL('../../../scenarios/knowledge.yaml', import.meta.url));

/** The bundled example migrations: `knowledge` (npm start) and `catalog`. */
interface BundledExample {
  mapping: string;
  suite: string;
  start(ports: { v1Port: number; v2Port: number }): Promise<ExampleServices>;
  /** A request to try against v1 and through the gateway. */
  sample: string;
}

const EXAMPLES: Record<string, BundledExample> = {
  knowledge: { mapping: BUNDLED_MAPPING, suite: BUNDLED_SUITE, start: startExampleServices, sample: '/api/v1/search?q=vector&limit=2' },
  catalog: {
    mapping: fileURLToPath(new URL('../../../mappings/catalog.yaml', import.meta.url)),
    suite: fileURLToPath(new URL('../../../scenarios/catalog.yaml', import.meta.url)),
    start: startCatalogServices,
    sample: '/products?q=steel&sort=-price&per_page=2&embed=reviews',
  },
};

export interface DemoOptions {
  example?: string;
  port: number;
  v1Port: number;
  v2Port: number;
  check?: boolean;
  out?: string;
  performanceThreshold?: number;
}

function parseExample(value: string): string {
  if (!Object.hasOwn(EXAMPLES, value)) throw new InvalidArgumentError(`"${value}" is not a bundled example; examples: ${Object.keys(EXAMPLES).join(', ')}`);
  return value;
}

export function registerDemo(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('start the bundled example v1 and v2 services and the gateway in one process (127.0.0.1)')
    .option('--example <name>', 'which bundled example: knowledge (the default, what npm start serves) or catalog', parseExample, 'knowledge')
    .option('--port <n>', 'gateway port', parsePort, 8080)
    .option('--v1-port <n>', 'example v1 service port', parsePort, 4001)
    .option('--v2-port <n>', 'example v2 service port', parsePort, 4002)
    .option('--check', 'instead of serving: run the bundled scenario suite against the example (gateway in-process, free ports), write the reports, print the summary and exit')
    .option('--out <dir>', 'reports folder for --check', 'compat-reports')
    .option('--performance-threshold <ratio>', 'with --check: largest acceptable gateway/v1 latency ratio (default 2)', parsePositiveNumber)
    .addHelpText('after', '\nExamples:\n  api-compat demo --port 8080\n  npm start\n  api-compat demo --check      (npm run demo:check)\n  api-compat demo --example catalog --check')
    .action(async (options: DemoOptions) => setExit(await (options.check ? demoCheckCommand(options, io) : demoCommand(options, io))));
}

/** The bundled example end to end: services, the bundled suite through an in-process gateway, reports. */
export async function demoCheckCommand(options: Pick<DemoOptions, 'out' | 'performanceThreshold' | 'example'>, io: CliIo): Promise<number> {
  const example = EXAMPLES[options.example ?? 'knowledge']!;
  const services = await example.start({ v1Port: 0, v2Port: 0 });
  try {
    const env = { ...io.env, V2_URL: services.v2.url, V1_URL: '' };
    const [mapping, suite] = await Promise.all([loadMappingFile(example.mapping, { env }), loadSuiteFile(example.suite, { env })]);
    io.stdout(`${paint(io)(1, 'api-compat demo --check')}: example v1 ${services.v1.url}, v2 ${services.v2.url}, gateway in-process; suite ${suite.suite.name} (${suite.suite.scenarios.length} scenarios)\n`);
    const { exitCode } = await executeCheck(
      { suite, mapping, v1Url: services.v1.url, v2Url: services.v2.url, direct: true, tags: [], outDir: options.out ?? 'compat-reports', formats: [...REPORT_FORMATS], performanceThreshold: options.performanceThreshold },
      io,
    );
    return exitCode;
  } catch (error) {
    // The bundled files are part of the package: failing to load them is a broken install.
    if (!(error instanceof SourceLoadError)) throw error;
    io.stderr(error.message + '\n');
    return EXIT.runtimeFailure;
  } finally {
    await services.close();
  }
}

export async function demoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  const example = EXAMPLES[options.example ?? 'knowledge']!;
  const services = await example.start({ v1Port: options.v1Port, v2Port: options.v2Port });
  try {
    const { table } = await loadMappingFile(example.mapping, { env: { ...io.env, V2_URL: services.v2.url, V1_URL: '' } });
    const gateway = await startGateway({ table, port: options.port });
    const bold = paint(io);
    io.stdout(
      [
        bold(1, 'api-compat demo'),
        `  v1 (legacy)  ${services.v1.url}`,
        `  v2 (new)     ${services.v2.url}`,
        `  gateway      ${gateway.url}   speaks v1, served by v2 through ${example.mapping.replace(/.*\/(mappings\/)/, '$1')}`,
        '',
        'Try the same v1 request against the real v1 and through the gateway:',
        `  curl -i '${services.v1.url}${example.sample}'`,
        `  curl -i '${gateway.url}${example.sample}'`,
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
