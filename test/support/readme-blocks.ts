import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/*
 * Executed documentation: how README.md's fenced blocks become tests (test/readme-executed.test.ts).
 * Add a section to the README and its blocks are run by `npm test` with no change here, as long as
 * they follow these conventions.
 *
 * Which blocks run (by the fence's language tag)
 *   ```sh / ```bash / ```shell   every command is run with sh in a scratch copy of the repository
 *                                (node_modules linked in), one after the other; `api-compat` and
 *                                `npx api-compat` are the repository's own bin/api-compat.js.
 *   ```yaml / ```yml / ```json   written to a file in the scratch copy and checked with
 *                                `api-compat lint` (a mapping or a scenario suite), exit 0 expected.
 *   ```ts                        written, before any block runs, to its `file=` or to the path its
 *                                first line names (`// mappings/cascade.ts — ...`), so a mapping
 *                                example may name a module shown further down; otherwise not run.
 *   anything else (untagged)     text, unless it directly follows a block that runs: then it is
 *                                that block's shown output (below).
 *
 * Shown output, compared after normalisation (see normalise()): ports, absolute paths of the scratch
 * copy, ISO timestamps and durations such as 0.58ms are replaced by placeholders, runs of spaces
 * count as one, and `…` inside a line matches anything.
 *   - `# ` lines under a command in a sh block are that command's output;
 *   - an untagged block right after a sh or yaml block is the whole block's output (stdout and
 *     stderr as a terminal shows them), and a line `...` in it stands for omitted lines.
 *   Shown lines must appear in the real output in the same order; lines the README leaves out may
 *   sit between them. Add `output=exact` to require exactly the shown lines.
 *   Trailing `# remarks` on a command line are remarks for the reader, never compared.
 *
 * Markers: an HTML comment on the line(s) right above the fence, invisible on GitHub:
 *     <!-- readme-test: key=value key="value with spaces" flag -->
 *   skip="reason"      do not run the block; only for what cannot run inside a test (installing
 *                      the test's own dependencies, running `npm test` itself). Say where the
 *                      command is exercised instead.
 *   daemon             the commands keep running (servers): each is started, awaited until its
 *                      shown output (or `ready=`) appears, and stopped at the next heading;
 *                      `daemon=1,3` for only the first and third command of the block.
 *   ready="regex"      for daemons without shown output: what the output says once it is up.
 *   with=demo          start the bundled demo (`npm start`) for this block, once per heading,
 *                      on the README's ports (see ports below); other fixtures: FIXTURES.
 *   env="K=v K2=v2"    environment variables (values without spaces) for the commands or the lint
 *   exit=N             every command of the block (or the lint) must exit N (default 0); daemons
 *                      are stopped, so their exit status is not judged.
 *   append="args"      appended to every command of the block (before a trailing remark), for a
 *                      flag only a test needs: `--performance-threshold 1000` on a check, whose
 *                      latency verdict a busy shared machine would otherwise decide. Keep it rare:
 *                      the command users read is the command that runs.
 *   vary="regex"       parts of the output that differ from run to run (e.g. latency ratios).
 *   timeout=S          seconds a command may take (default 120).
 *   file=path          where a yaml/ts block is written in the scratch copy (default
 *                      mappings/readme-line-N.yaml, so `./module.ts`, `../schemas/...` and
 *                      `../mappings/...` references resolve as in a real project).
 *   data               the yaml block is an input file for a later command (with file=), e.g. a
 *                      v2 answer for `translate --response`: written and parsed, not linted.
 *   fragment=KIND      the yaml block is part of a mapping; it is wrapped into a whole one before
 *                      lint: mapping (its keys without name and upstream; a list of `- id:`
 *                      entries goes under endpoints), endpoint (one endpoint, or a list),
 *                      resources, errors, request or response (a list of steps of one endpoint
 *                      GET /readme/fragment). Without a marker, a yaml block that is no suite and
 *                      has no `name` is read as fragment=mapping, as the README's mapping
 *                      sections promise ("a whole mapping once name and upstream are added").
 *   base=path          with fragment: merge into this mapping instead of an empty one (endpoints
 *                      with the same id are replaced, others appended; resources by name).
 *
 * Ports: every 127.0.0.1:N / localhost:N and every `--…port N` in commands and markers is mapped to
 * a free port picked for the run (the same README port always maps to the same free port), so the
 * README can say 8080 and a test never collides with whatever listens on 8080.
 */

export type BlockKind = 'shell' | 'yaml' | 'ts' | 'text';

export interface ReadmeCommand {
  /** The command as the README shows it (continuation lines joined). */
  text: string;
  line: number;
  /** `# ` lines that follow it: its output. */
  shown: string[];
}

export interface ReadmeBlock {
  kind: BlockKind;
  language: string;
  /** 1-based line of the opening fence. */
  line: number;
  body: string;
  markers: Record<string, string>;
  /** The innermost heading above the block: daemons live until it changes. */
  heading: string;
  headingLine: number;
  commands: ReadmeCommand[];
  /** The untagged block right after this one, if any. */
  output?: { line: number; lines: string[] };
}

const LANGUAGES: Record<string, BlockKind> = { sh: 'shell', bash: 'shell', shell: 'shell', yaml: 'yaml', yml: 'yaml', json: 'yaml', ts: 'ts', typescript: 'ts' };
const MARKER = /^\s*<!--\s*readme-test:(.*?)-->\s*$/;

/** Every fenced block of a Markdown document, with its markers and, for shell blocks, its commands. */
export function parseReadme(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  let heading = '(top)';
  let headingLine = 0;
  let lastClosed: { block: ReadmeBlock; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const headingMatch = /^(#{1,6})\s+(.*)$/.exec(line);
    if (headingMatch) {
      heading = headingMatch[2]!;
      headingLine = i + 1;
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*$/.exec(line);
    if (!fence) continue;
    const [, indent, marks, language] = fence as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const inner = lines[j]!;
      if (inner.trim() === marks) break;
      body.push(inner.startsWith(indent) ? inner.slice(indent.length) : inner.trimStart());
    }
    const markers: Record<string, string> = {};
    for (let k = i - 1; k >= 0 && MARKER.test(lines[k]!); k--) Object.assign(markers, parseMarker(MARKER.exec(lines[k]!)![1]!));
    const kind = LANGUAGES[language.toLowerCase()] ?? 'text';
    const followsRunnable = lastClosed !== undefined && lastClosed.block.kind !== 'text' && !lastClosed.block.output && lines.slice(lastClosed.line + 1, i).every((between) => between.trim() === '');
    if (kind === 'text' && followsRunnable) {
      lastClosed!.block.output = { line: i + 1, lines: body };
      lastClosed = undefined;
    } else {
      const block: ReadmeBlock = { kind, language, line: i + 1, body: body.join('\n'), markers, heading, headingLine, commands: kind === 'shell' ? splitCommands(body, i + 2) : [] };
      blocks.push(block);
      lastClosed = { block, line: j };
    }
    i = j;
  }
  return blocks;
}

/** `key=value key="two words" flag` */
export function parseMarker(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([\w-]+)(?:=(?:"((?:[^"\\]|\\.)*)"|(\S+)))?/g)) out[match[1]!] = (match[2] ?? match[3] ?? '').replace(/\\"/g, '"');
  return out;
}

function splitCommands(body: string[], firstLine: number): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) {
      commands.at(-1)?.shown.push(line.trimStart().replace(/^# ?/, ''));
      continue;
    }
    const start = i;
    let text = line;
    while (text.endsWith('\\') && i + 1 < body.length) text = `${text}\n${body[++i]}`;
    commands.push({ text, line: firstLine + start, shown: [] });
  }
  return commands;
}

/** A command without its trailing `# remark` (a `#` outside quotes after a space), so arguments can follow. */
export function withoutRemark(command: string): string {
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') i++;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '\\') i++;
    else if (char === '#' && /\s/.test(command[i - 1] ?? '')) return command.slice(0, i).trimEnd();
  }
  return command;
}

/** A command without its trailing remark, on one line: for test names and messages. */
export function commandTitle(command: string): string {
  return command.replace(/\\\n\s*/g, ' ').replace(/\s+#\s.*$/, '').trim();
}

const PORT_PATTERNS = [/((?:127\.0\.0\.1|localhost):)(\d{2,5})\b/g, /(--[\w-]*port[= ])(\d{2,5})\b/g, /(\{)(\d{2,5})(\})/g];

/** The README ports a text mentions. */
export function portsIn(text: string): number[] {
  return PORT_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => Number(match[2]))).filter((port) => port > 0);
}

/** Rewrites README ports into the run's free ports; `{8080}` in markers is a bare port. */
export function remapPorts(text: string, ports: ReadonlyMap<number, number>): string {
  return PORT_PATTERNS.reduce(
    (out, pattern) =>
      out.replace(pattern, (whole, before: string, port: string, after?: string) => {
        const mapped = ports.get(Number(port));
        if (mapped === undefined) return whole;
        return after === '}' ? String(mapped) : `${before}${mapped}`;
      }),
    text,
  );
}

export interface NormaliseContext {
  /** Absolute folders printed as `.` (the scratch copy, the repository). */
  folders: string[];
  vary?: RegExp;
}

/** Output as compared: see the conventions at the top. */
export function normalise(text: string, context: NormaliseContext): string[] {
  // eslint-disable-next-line no-control-regex -- ANSI colour sequences start with ESC
  let out = text.replace(/\r/g, '').replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  for (const folder of context.folders) out = out.split(folder + '/').join('').split(folder).join('.');
  out = out
    .replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>')
    .replace(/\d{4}-\d\d-\d\dT\d\d[:-]\d\d[:-]\d\d(?:\.\d+)?Z/g, '<timestamp>')
    // a difference of two durations (the gateway's overhead) can be negative
    .replace(/(?<![\w.])-?\d+(?:\.\d+)?ms\b/g, '<ms>');
  if (context.vary) out = out.replace(new RegExp(context.vary.source, 'g'), '<varies>');
  return out.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
}

export interface Comparison {
  ok: boolean;
  /** The first shown line not found (in order), for the failure message. */
  missing?: string;
}

/** Do the shown lines appear in the actual ones, in order (or exactly, with `exact`)? */
export function compareShown(shown: string[], actual: string[], options: { exact?: boolean } = {}): Comparison {
  const wanted = shown.filter((line) => line !== '' && line !== '...' && line !== '…');
  const patterns = wanted.map((line) => new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  const lines = actual.filter((line) => line !== '');
  if (options.exact) {
    const bad = patterns.findIndex((pattern, index) => !pattern.test(lines[index] ?? ''));
    if (bad >= 0) return { ok: false, missing: wanted[bad] };
    return lines.length === patterns.length ? { ok: true } : { ok: false, missing: `(${lines.length - patterns.length} more lines than shown)` };
  }
  let at = 0;
  for (const [index, pattern] of patterns.entries()) {
    while (at < lines.length && !pattern.test(lines[at]!)) at++;
    if (at === lines.length) return { ok: false, missing: wanted[index] };
    at++;
  }
  return { ok: true };
}

const FRAGMENT_ROUTE = { v1: 'GET /readme/fragment', v2: 'GET /readme/fragment' };

/** The fragment kind a yaml block is, by its marker or, without one, by its content. */
export function fragmentKind(markers: Record<string, string>, text: string): string | undefined {
  if (markers.fragment) return markers.fragment;
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    return undefined; // lint reports the syntax error on the block as written
  }
  if (Array.isArray(value)) return 'mapping';
  if (value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  if (keys.includes('suite') || keys.includes('scenarios') || keys.includes('name')) return undefined;
  return 'mapping';
}

/** A yaml `fragment=KIND` block made into a whole mapping (see the conventions). */
export function wrapFragment(kind: string, fragmentText: string, baseText?: string): string {
  const fragment: unknown = parseYaml(fragmentText);
  const base = (baseText ? parseYaml(baseText) : { name: 'README fragment', upstream: 'http://127.0.0.1:9', endpoints: [] }) as Record<string, unknown>;
  const endpoints = [...((base.endpoints as Array<Record<string, unknown>> | undefined) ?? [])];
  const addEndpoints = (added: Array<Record<string, unknown>>) => {
    for (const endpoint of added) {
      const same = endpoints.findIndex((existing) => existing.id === endpoint.id);
      if (same >= 0) endpoints[same] = endpoint;
      else endpoints.push(endpoint);
    }
  };
  switch (kind) {
    case 'mapping': {
      // Keys of a mapping without its name and upstream; a list is a list of endpoints.
      if (Array.isArray(fragment)) addEndpoints(fragment as Array<Record<string, unknown>>);
      else {
        const { endpoints: more, ...rest } = fragment as Record<string, unknown>;
        Object.assign(base, rest);
        if (Array.isArray(more)) addEndpoints(more as Array<Record<string, unknown>>);
      }
      break;
    }
    case 'endpoint':
    case 'endpoints':
      addEndpoints((Array.isArray(fragment) ? fragment : [fragment]) as Array<Record<string, unknown>>);
      break;
    case 'resources':
      base.resources = { ...(base.resources as object | undefined), ...(fragment as object) };
      break;
    case 'errors':
      base.errors = [...((base.errors as unknown[] | undefined) ?? []), ...(fragment as unknown[])];
      break;
    case 'request':
    case 'response':
      addEndpoints([{ id: 'readme-fragment', ...FRAGMENT_ROUTE, [kind]: fragment }]);
      break;
    default:
      throw new Error(`fragment=${kind}: unknown kind; use mapping, endpoint, resources, errors, request or response`);
  }
  if (endpoints.length === 0 && !base.resources) endpoints.push({ id: 'readme-fragment', ...FRAGMENT_ROUTE });
  base.endpoints = endpoints;
  return stringifyYaml(base);
}

/**
 * Repository paths the prose names (`mappings/knowledge.yaml`, [links](schemas/x.json)): a span
 * with a slash whose first segment is a top-level entry of the repository, or a relative `./` path.
 * Placeholders (`<suite>`), globs and URLs are not paths.
 */
export function namedPaths(markdown: string, topLevel: ReadonlySet<string>): Array<{ path: string; line: number }> {
  const found: Array<{ path: string; line: number }> = [];
  let inFence = false;
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) return;
    const spans = [...line.matchAll(/`([^`\s]+)`/g), ...line.matchAll(/\]\(([^)\s#]+)\)/g)].map((match) => match[1]!);
    for (const span of spans) {
      if (/[<>*{}$|?]|:\/\//.test(span) || !span.includes('/')) continue;
      const first = span.replace(/^\.\//, '').split('/')[0]!;
      if (topLevel.has(first)) found.push({ path: span.replace(/^\.\//, ''), line: index + 1 });
    }
  });
  return found;
}
