import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CompatError } from '../../core/errors.js';
import { emptyMessage, headerText, type HttpMessage } from '../../core/model/http-message.js';
import { exchange } from '../../core/pipeline/exchange.js';
import { matchEndpoint } from '../../core/pipeline/match.js';
import { translateRequest } from '../../core/pipeline/request.js';
import type { TraceEntry } from '../../core/pipeline/trace.js';
import { isRecord } from '../../core/transform/path.js';
import { lifecycleHeaders } from '../../server/lifecycle-headers.js';
import { messageToResponse, parseQuery, splitUrl } from '../../server/message-io.js';
import { corsHeaders } from '../../server/v1-answer.js';
import { queryString } from '../../upstream/upstream-client.js';
import { firstLine, inputError, unreadableFileError } from '../cli-error.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { loadMappingForCommand, requireFile } from '../load-or-report.js';

interface TranslateOptions {
  mapping: string;
  request: string;
  body?: string;
  header: string[];
  response?: string;
  json?: boolean;
}

export function registerTranslate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('translate')
    .description('dry run: show the v2 request(s) the gateway would send for a v1 request, and the v1 response it would return for a given v2 response')
    .requiredOption('--mapping <file>', 'mapping file')
    .requiredOption('--request <line>', "v1 request line, e.g. 'GET /api/v1/search?q=x&limit=2'")
    .option('--body <json>', 'v1 request body (JSON)')
    .option('--header <name:value>', 'v1 request header (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('--response <file>', 'v2 response as YAML/JSON: { status, headers, body }, or { calls: { main: {...}, <call-id>: {...} } }')
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      "\nExamples:\n  api-compat translate --mapping mappings/knowledge.yaml --request 'GET /api/v1/search?q=vector&limit=2'\n  api-compat translate --mapping mappings/knowledge.yaml --request 'GET /api/v1/knowledge/1' --response v2-answer.yaml",
    )
    .action(async (options: TranslateOptions) => setExit(await translateCommand(options, io)));
}

async function translateCommand(options: TranslateOptions, io: CliIo): Promise<number> {
  const loaded = await loadMappingForCommand(options.mapping, io);
  if (!loaded) return EXIT.badInput;
  const line = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(options.request);
  if (!line) throw inputError(`--request "${options.request}" is not a request line`, "write it as 'METHOD /path?query', e.g. 'GET /api/v1/search?q=x'");
  const method = line[1]!.toUpperCase();
  const { path, search } = splitUrl(`http://x${line[2]!.startsWith('/') ? '' : '/'}${line[2]}`);
  let body: unknown;
  if (options.body !== undefined) {
    try {
      body = JSON.parse(options.body);
    } catch (error) {
      throw inputError(`--body is not valid JSON (${firstLine(error)})`, `quote it for the shell, e.g. --body '{"title":"T"}'`);
    }
  }
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  for (const header of options.header) {
    const colon = header.indexOf(':');
    if (colon < 1) throw inputError(`--header "${header}" has no name`, "write it as 'Name: value'");
    headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  const match = matchEndpoint(loaded.table, method, path, { query: parseQuery(search), headers });
  if (!match) {
    io.stderr(`api-compat translate: no endpoint of ${options.mapping} maps ${method} ${path}${loaded.table.legacy ? ' (the gateway would pass it to legacy)' : ' (the gateway would answer 404)'}\n`);
    return EXIT.findings;
  }
  const { endpoint } = match;
  const v1 = emptyMessage({ method, path, params: match.params, query: parseQuery(search), headers, body });
  const out: Record<string, unknown> = { endpoint: endpoint.id };
  if (endpoint.removed) {
    out.removed = endpoint.removed;
    print(io, options.json, out, [`endpoint ${endpoint.id}: removed; the gateway answers ${endpoint.removed.status}: ${endpoint.removed.message}`]);
    return EXIT.ok;
  }
  const trace: TraceEntry[] = [];
  try {
    if (!options.response) {
      const v2 = translateRequest(endpoint, v1, trace);
      out.requests = [{ call: 'main', request: describeRequest(v2) }];
      out.calls = endpoint.calls.map((call) => `${call.id}: ${call.route.method} ${call.route.template}${call.afterMain ? ' (after the main response)' : ''}`);
    } else {
      const responses = await readResponses(options.response, io);
      const v1Headers = { ...headers };
      const result = await exchange(loaded.table, endpoint, v1, async (_request, { call }) => {
        const given = responses[call];
        if (!given) throw new CompatError('upstream-unreachable', `--response has no response for call "${call}"`);
        return structuredClone(given);
      }, trace, { url: `${loaded.table.publicUrl ?? 'http://localhost'}${line[2]!.startsWith('/') ? '' : '/'}${line[2]}` });
      out.requests = result.upstreamRequests.map(({ call, request }) => ({ call, request: describeRequest(request) }));
      // The answer exactly as the gateway would write it: the same last stage builds both.
      const extra: Record<string, string> = { ...Object.fromEntries(lifecycleHeaders(loaded.table.lifecycle)), ...(loaded.table.cors ? corsHeaders(loaded.table.cors, v1Headers.origin) : {}) };
      const answer = messageToResponse(result.response, extra, { render: endpoint.render, request: { method, headers: v1Headers }, dropCors: loaded.table.cors !== undefined });
      const text = await answer.text();
      const answerHeaders: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        answerHeaders[name] = value;
      });
      out.response = { status: answer.status, headers: answerHeaders, body: parseAnswerBody(text, answerHeaders['content-type']) };
    }
  } catch (error) {
    if (!(error instanceof CompatError)) throw error;
    out.problem = { code: error.code, status: error.status, detail: error.message };
  }
  out.steps = trace.map((entry) => ({ ...entry }));
  print(io, options.json, out, textLines(out, trace));
  return out.problem ? EXIT.findings : EXIT.ok;
}

function parseAnswerBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describeRequest(request: HttpMessage) {
  return { method: request.method, url: request.path + queryString(request.query), headers: request.headers, body: request.body };
}

/** The v2 answer(s) given with --response: a missing or unparsable file is bad input, said in one sentence. */
async function readResponses(file: string, io: CliIo): Promise<Record<string, HttpMessage>> {
  const label = `--response ${file}`;
  await requireFile(file, label, io);
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw unreadableFileError(label, error);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw inputError(`${label} is not YAML or JSON (${firstLine(error)})`, 'write { status, headers, body }, or { calls: { main: {...}, <call-id>: {...} } }');
  }
  if (!isRecord(value)) throw inputError(`${label} holds no object`, 'write { status, headers, body }, or { calls: { main: {...}, <call-id>: {...} } }');
  const toMessage = (entry: unknown): HttpMessage => {
    const record = isRecord(entry) ? entry : {};
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(isRecord(record.headers) ? record.headers : {})) headers[name.toLowerCase()] = String(v);
    if (record.body !== undefined) headers['content-type'] ??= 'application/json';
    return emptyMessage({ status: typeof record.status === 'number' ? record.status : 200, headers, body: record.body });
  };
  if (isRecord(value) && isRecord(value.calls)) return Object.fromEntries(Object.entries(value.calls).map(([call, entry]) => [call, toMessage(entry)]));
  return { main: toMessage(value) };
}

function textLines(out: Record<string, unknown>, trace: TraceEntry[]): string[] {
  const lines = [`endpoint ${String(out.endpoint)}`];
  for (const { call, request } of (out.requests ?? []) as Array<{ call: string; request: ReturnType<typeof describeRequest> }>) {
    lines.push('', `v2 request (${call}):`, `  ${request.method} ${request.url}`);
    for (const [name, value] of Object.entries(request.headers)) lines.push(`  ${name}: ${headerText(value)}`);
    if (request.body !== undefined) lines.push(`  ${JSON.stringify(request.body)}`);
  }
  for (const call of (out.calls ?? []) as string[]) lines.push(`supporting call ${call}`);
  const response = out.response as { status: number; headers: Record<string, string>; body: unknown } | undefined;
  if (response) {
    lines.push('', 'v1 response:', `  ${response.status}`);
    for (const [name, value] of Object.entries(response.headers)) lines.push(`  ${name}: ${headerText(value)}`);
    if (response.body !== undefined) lines.push(`  ${JSON.stringify(response.body)}`);
  }
  const problem = out.problem as { code: string; status: number; detail: string } | undefined;
  if (problem) lines.push('', `the gateway would answer ${problem.status} ${problem.code}: ${problem.detail}`);
  if (trace.length) {
    lines.push('', 'steps:');
    for (const entry of trace) {
      const state = entry.condition && !entry.condition.held ? 'skipped' : entry.changed ? 'fired  ' : 'no-op  ';
      const condition = entry.condition ? ` (when ${entry.condition.text}: ${entry.condition.held ? 'true' : 'false'})` : '';
      lines.push(`  ${state} [${entry.stage}] ${entry.op}: ${entry.description}${condition}`);
    }
  }
  return lines;
}

function print(io: CliIo, json: boolean | undefined, out: unknown, lines: string[]): void {
  io.stdout(json ? JSON.stringify(out, null, 2) + '\n' : lines.join('\n') + '\n');
}
