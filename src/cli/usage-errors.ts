import type { Command, CommanderError } from 'commander';
import { errorLine, nearestName } from './cli-error.js';

/*
 * Commander finds the usage errors (unknown options and commands, missing or invalid values);
 * this file words them in the CLI's one style (cli-error.ts) instead of commander's
 * `error: ...` + `(add --help for usage)` pair, and fixes one ordering problem: commander checks
 * required options before unknown ones, so `serve --maping x` would complain that --mapping is
 * missing instead of pointing at the typo.
 */

/**
 * Makes every command (those registered later included, when called after them) leave usage
 * errors to usageErrorLine: commander throws instead of exiting and prints nothing itself, and
 * each command's --help lists the global options (--verbose) too.
 */
export function adoptUsageErrorStyle(command: Command): void {
  command.exitOverride().configureOutput({ outputError: () => {} });
  command.configureHelp({ ...command.configureHelp(), showGlobalOptions: true });
  command.commands.forEach(adoptUsageErrorStyle);
}

/** The command a command line addresses (`serve`, or `ids import` for nested ones), if any. */
export function addressedCommand(program: Command, argv: readonly string[]): Command | undefined {
  let current: Command | undefined;
  let commands = program.commands;
  for (const token of argv) {
    if (token === '--') break;
    if (token.startsWith('-')) continue;
    const next = commands.find((command) => command.name() === token || command.aliases().includes(token));
    if (!next) break;
    current = next;
    commands = next.commands;
    if (!commands.length) break;
  }
  return current;
}

export function commandPath(command: Command | undefined): string | undefined {
  const names: string[] = [];
  for (let at = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.length ? names.join(' ') : undefined;
}

/** Every long flag a command accepts, its parents' (global options such as --verbose) included. */
function knownFlags(command: Command): string[] {
  const flags: string[] = ['--help'];
  for (let at: Command | null = command; at; at = at.parent) for (const option of at.options) if (option.long) flags.push(option.long);
  return flags;
}

/** The first option on the command line the command does not know, found by commander's own parser. */
function firstUnknownOption(command: Command, argv: readonly string[]): string | undefined {
  const start = argv.indexOf(command.name());
  const rest = argv.slice(start + 1);
  const globalFlags = new Set(command.parent ? knownFlags(command.parent) : []);
  try {
    const { unknown } = command.parseOptions(rest.filter((token) => !globalFlags.has(token.split('=', 1)[0]!)));
    return unknown.find((token) => token.startsWith('-'))?.split('=', 1)[0];
  } catch {
    // an invalid value on the way: the unknown option, if any, is reported after it is fixed
    return undefined;
  }
}

/** The CLI's line for a usage error commander raised, e.g. `api-compat serve: unknown option '--maping': did you mean --mapping?`. */
export function usageErrorLine(error: CommanderError, program: Command, argv: readonly string[]): string {
  const command = addressedCommand(program, argv);
  const name = commandPath(command);
  const helpHint = `run api-compat${name ? ` ${name}` : ''} --help`;
  const message = error.message.replace(/^error: /, '').replace(/\n\(Did you mean .*\?\)$/s, '');
  const quoted = (pattern: RegExp) => pattern.exec(message)?.[1];

  switch (error.code) {
    case 'commander.unknownOption':
    case 'commander.missingMandatoryOptionValue': {
      const unknown = error.code === 'commander.unknownOption' ? quoted(/unknown option '([^']+)'/) : command && firstUnknownOption(command, argv);
      if (unknown) {
        const flag = unknown.split('=', 1)[0]!;
        const nearest = command ? nearestName(flag, knownFlags(command)) : nearestName(flag, knownFlags(program));
        return errorLine(name, `unknown option '${flag}'`, nearest ? `did you mean ${nearest}?` : `${helpHint} for the options`);
      }
      const flags = quoted(/required option '([^']+)'/) ?? message;
      return errorLine(name, `${flags} is required`, `add ${flags.split(' ')[0]} (${helpHint})`);
    }
    case 'commander.unknownCommand': {
      const word = quoted(/unknown command '([^']+)'/) ?? '';
      const nearest = nearestName(word, program.commands.map((c) => c.name()));
      return errorLine(undefined, `unknown command '${word}'`, nearest ? `did you mean ${nearest}?` : 'run api-compat --help for the commands');
    }
    case 'commander.invalidArgument': {
      const option = /option '([^']+)' argument '(.*)' is invalid\.\s*(.*)$/s.exec(message);
      if (option) return errorLine(name, `${option[1]!.split(' ')[0]} ${option[2]}: ${option[3] || 'invalid value'}`);
      const argument = /command-argument value '(.*)' is invalid for argument '([^']+)'\.\s*(.*)$/s.exec(message);
      if (argument) return errorLine(name, `${argument[2]} ${argument[1]}: ${argument[3] || 'invalid value'}`);
      return errorLine(name, message);
    }
    case 'commander.optionMissingArgument': {
      const flags = quoted(/option '([^']+)' argument missing/) ?? message;
      const [flag, ...value] = flags.split(' ');
      return errorLine(name, `${flag} needs a value`, `write ${flag} ${value.join(' ')}`);
    }
    case 'commander.missingArgument': {
      const argument = quoted(/missing required argument '([^']+)'/) ?? 'argument';
      return errorLine(name, `missing ${argument}`, `${helpHint} for what to pass`);
    }
    case 'commander.excessArguments': {
      const counts = /Expected (\d+) arguments? but got (\d+)/.exec(message);
      const what = counts ? `takes ${counts[1] === '0' ? 'no' : counts[1]} argument${counts[1] === '1' ? '' : 's'} but got ${counts[2]}` : message;
      return errorLine(name, what, `options start with -- (${helpHint})`);
    }
    default:
      return errorLine(name, message, helpHint);
  }
}
