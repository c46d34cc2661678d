import { relative } from 'node:path';
import { EXIT, type CliIo } from './cli-io.js';

/*
 * One error style for every command, so a user (and a script grepping stderr) always reads the
 * same shape:
 *
 *   api-compat <command>: <what went wrong>: <how to fix it>
 *
 * - Bad input or configuration (a missing file, a wrong option value, an invalid mapping) exits 2.
 * - A runtime failure (a port in use, a target that stops answering, a bug) exits 3 with one line;
 *   the cause and stack trace are printed only with --verbose.
 * - Problems placed inside a file keep the compiler-style `file:line:column severity at /pointer:
 *   sentence` lines (src/io formatDiagnostic), which editors and CI annotate; they are bad input.
 * - Paths are shown as the user typed them (displayPath), never resolved against the cwd.
 *
 * A command reports a failure by throwing a CliError (inputError / runtimeError); main() prints it
 * and turns it into the exit code. Anything else that escapes a command is a runtime failure.
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: typeof EXIT.badInput | typeof EXIT.runtimeFailure,
    /** What went wrong, naming the input as the user typed it. */
    readonly what: string,
    /** How to fix it; omitted when the sentence already says so. */
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(fix ? `${what}: ${fix}` : what, options);
    this.name = 'CliError';
  }
}

/** Bad input or configuration: exit 2. */
export function inputError(what: string, fix?: string): CliError {
  return new CliError(EXIT.badInput, what, fix);
}

/** A failure while running: exit 3; `cause` is shown with --verbose. */
export function runtimeError(what: string, cause?: unknown, fix?: string): CliError {
  return new CliError(EXIT.runtimeFailure, what, fix, { cause });
}

/** `api-compat serve: what: fix` (or `api-compat: ...` when no command was recognised). */
export function errorLine(command: string | undefined, what: string, fix?: string): string {
  return `api-compat${command ? ` ${command}` : ''}: ${what}${fix ? `: ${fix}` : ''}`;
}

/**
 * A path for a message: relative to the current folder when it lies inside it (so a suite's
 * `mapping: ../mappings/x.yaml` reads `mappings/x.yaml`), else as given.
 */
export function displayPath(io: Pick<CliIo, 'cwd'>, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || rel.startsWith('/') ? path : rel;
}

const FILE_PROBLEMS: Record<string, { what: string; fix: string }> = {
  ENOENT: { what: 'file not found', fix: 'check the path (relative paths start from the current folder)' },
  ENOTDIR: { what: 'file not found (a part of the path is a file, not a folder)', fix: 'check the path' },
  EISDIR: { what: 'is a folder, not a file', fix: 'pass a file inside it' },
  EACCES: { what: 'permission denied', fix: 'check the file permissions' },
  EPERM: { what: 'permission denied', fix: 'check the file permissions' },
};

/** A file the user named could not be read: one sentence, exit 2. `label` is e.g. `--response x.yaml`. */
export function unreadableFileError(label: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? FILE_PROBLEMS[code] : undefined;
  const failure = known ? inputError(`${label}: ${known.what}`, known.fix) : inputError(`${label}: cannot be read (${firstLine(error)})`, 'check the path and permissions');
  return Object.assign(failure, { cause: error });
}

/** The one-line description of any error: its message's first line. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0]!.trim() || (error instanceof Error ? error.name : 'unknown error');
}

const RUNTIME_HINTS: Record<string, string> = {
  EADDRINUSE: 'another process listens on that port: stop it or choose another port',
  EADDRNOTAVAIL: 'this machine has no such address: use 127.0.0.1 or 0.0.0.0',
  ECONNREFUSED: 'nothing answers there: start the service or correct the URL',
  ENOTFOUND: 'the host name does not resolve: correct the URL',
  EACCES: 'permission denied: use a port above 1023 or another file',
};

/**
 * Prints an error that escaped a command and returns the exit code: a CliError as it says, any
 * other error as a one-line runtime failure. With `verbose`, the cause chain and stack follow.
 */
export function reportCommandError(error: unknown, context: { command: string | undefined; verbose: boolean; io: CliIo }): number {
  const { io, command, verbose } = context;
  let exitCode: number = EXIT.runtimeFailure;
  if (error instanceof CliError) {
    exitCode = error.exitCode;
    io.stderr(errorLine(command, error.what, error.fix) + '\n');
  } else {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const hint = code ? RUNTIME_HINTS[code] : undefined;
    io.stderr(errorLine(command, firstLine(error), hint ?? (verbose ? undefined : 'add --verbose for the details')) + '\n');
  }
  if (verbose) {
    for (let cause: unknown = error, depth = 0; cause !== undefined && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
      if (cause instanceof Error && cause.stack) io.stderr(`${depth ? 'caused by: ' : ''}${cause.stack}\n`);
      else if (depth) io.stderr(`caused by: ${String(cause)}\n`);
    }
  }
  return exitCode;
}

/**
 * The nearest name to a misspelt one (`--maping` -> `--mapping`, `lnt` -> `lint`), or undefined
 * when none is close: at most a third of the letters differ, or the word is a prefix.
 */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
  const bare = (name: string) => name.replace(/^-+/, '');
  const target = bare(word);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of new Set(candidates)) {
    const name = bare(candidate);
    if (name.length < 2) continue;
    const distance = name.startsWith(target) && target.length >= 3 ? 0.5 : editDistance(target, name);
    if (distance <= Math.max(1, Math.floor(Math.max(target.length, name.length) / 3)) && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
