import { InvalidArgumentError, type Command } from 'commander';
import { renderVerifyText } from '../../render/verify-report.js';
import { verifyMapping } from '../../spec/verify.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadMappingForCommand } from '../load-or-report.js';
import { parsePositiveInteger } from '../options.js';
import { loadSpecPair } from '../spec-inputs.js';

interface VerifyOptions {
  mapping: string;
  v1Spec: string;
  v2Spec: string;
  samples: number;
  seed?: number;
  format: 'text' | 'json';
}

export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description('check the mapping against both OpenAPI documents with generated requests and answers')
    .requiredOption('--mapping <file>', 'mapping file')
    .requiredOption('--v1-spec <file>', 'the v1 OpenAPI document')
    .requiredOption('--v2-spec <file>', 'the v2 OpenAPI document')
    .option('--samples <n>', 'generated exchanges per endpoint, and values per resource rule', parsePositiveInteger, 100)
    .option('--seed <n>', 'seed of the generator (default: random, printed so a run can be repeated)', parseSeed)
    .option('--format <format>', 'text or json', parseVerifyFormat, 'text')
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  api-compat verify --mapping mappings/knowledge.yaml --v1-spec examples/knowledge/openapi-v1.yaml \\',
        '    --v2-spec examples/knowledge/openapi-v2.yaml --samples 200 --seed 7',
        '',
        'Exit codes: 0 every check passed, 1 a counterexample was found, 2 bad input.',
      ].join('\n'),
    )
    .action(async (options: VerifyOptions) => setExit(await verifyCommand(options, io)));
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

function parseVerifyFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('expected text or json');
  return value;
}

async function verifyCommand(options: VerifyOptions, io: CliIo): Promise<number> {
  const specs = await loadSpecPair(options.v1Spec, options.v2Spec, io);
  const loaded = await loadMappingForCommand(options.mapping, io);
  if (!specs || !loaded) return EXIT.badInput;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const report = await verifyMapping(loaded.table, loaded.document, specs.v1, specs.v2, { samples: options.samples, seed });
  io.stdout(options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderVerifyText(report, options.mapping));
  return report.failures.length ? EXIT.findings : EXIT.ok;
}
