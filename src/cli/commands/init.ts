import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomically } from '../../io/write-file-atomically.js';
import { draftMapping } from '../../spec/draft-mapping.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadSpecPair } from '../spec-inputs.js';

interface InitOptions {
  v1Spec: string;
  v2Spec: string;
  out?: string;
}

export function registerInit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a draft mapping from two OpenAPI documents, with every guess marked for review')
    .requiredOption('--v1-spec <file>', 'the v1 OpenAPI document')
    .requiredOption('--v2-spec <file>', 'the v2 OpenAPI document')
    .option('--out <file>', 'write the draft to a file (it is never overwritten half-way) instead of printing it')
    .addHelpText('after', '\nExample:\n  api-compat init --v1-spec examples/knowledge/openapi-v1.yaml --v2-spec examples/knowledge/openapi-v2.yaml --out mappings/draft.yaml')
    .action(async (options: InitOptions) => setExit(await initCommand(options, io)));
}

async function initCommand(options: InitOptions, io: CliIo): Promise<number> {
  const specs = await loadSpecPair(options.v1Spec, options.v2Spec, io);
  if (!specs) return EXIT.badInput;
  const draft = draftMapping(specs.v1, specs.v2);
  if (!options.out) {
    io.stdout(draft.text);
    return EXIT.ok;
  }
  await writeFileAtomically(resolve(io.cwd, options.out), draft.text);
  const byId = draft.pairs.filter((pair) => pair.pairedBy === 'operationId').length;
  io.stdout(`draft: ${options.out} (${draft.pairs.length} endpoints paired, ${byId} by operationId; ${draft.removed.length} declared removed). Review the lines marked "review", then run api-compat lint.\n`);
  return EXIT.ok;
}
