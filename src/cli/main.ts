import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { reportCommandError } from './cli-error.js';
import { EXIT, processIo, type CliIo } from './cli-io.js';
import { registerCheck } from './commands/check.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerGuide } from './commands/guide.js';
import { registerInit } from './commands/init.js';
import { registerLint } from './commands/lint.js';
import { registerServe } from './commands/serve.js';
import { registerShadowReport } from './commands/shadow-report.js';
import { registerTranslate } from './commands/translate.js';
import { registerVerify } from './commands/verify.js';
import { addressedCommand, adoptUsageErrorStyle, commandPath, usageErrorLine } from './usage-errors.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs one command line and returns its exit code; the only place that wires the edges. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('api-compat')
    .description('Retire v1 of an HTTP API without breaking its clients.')
    .version(version, '-V, --version', 'print the version')
    .exitOverride()
    .option('--verbose', 'on a failure, also print its cause and stack trace')
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  program.configureHelp({ sortSubcommands: false });
  for (const register of [registerServe, registerCheck, registerShadowReport, registerGuide, registerDemo, registerLint, registerTranslate, registerDiff, registerVerify, registerInit]) register(program, io, setExit);
  program.commands.forEach((command) => command.exitOverride().configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) }));
  adoptUsageErrorStyle(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      // `api-compat` alone: commander printed the help on stderr.
      if (error.code === 'commander.help') io.stderr('api-compat: no command given: choose one of the commands above\n');
      else io.stderr(usageErrorLine(error, program, argv) + '\n');
      return EXIT.badInput;
    }
    return reportCommandError(error, { command: commandPath(addressedCommand(program, argv)), verbose: argv.includes('--verbose'), io });
  }
}
