import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileMapping } from '../core/mapping/compile.js';
import type { CompiledTable } from '../core/mapping/compiled.js';
import { pointerOf, type Diagnostic } from '../core/model/diagnostic.js';
import type { MappingDocument } from '../core/model/mapping.js';
import type { TransformFunction } from '../core/ports.js';
import { substituteEnvironment } from './environment.js';
import { validateAgainstSchema } from './schema-validation.js';
import { readYamlSource, SourceLoadError, type SourceDiagnostic, type YamlSource } from './yaml-source.js';

export interface LoadedMapping {
  file: string;
  document: MappingDocument;
  table: CompiledTable;
  /** Warnings; errors are thrown as SourceLoadError. */
  diagnostics: SourceDiagnostic[];
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
}

/**
 * Reads, validates and compiles a mapping file. Every problem (YAML syntax, schema, semantics,
 * missing `fn:` modules) is reported at once with file:line:column; nothing half-loaded escapes.
 */
export async function loadMappingFile(file: string, options: LoadOptions & { displayName?: string } = {}): Promise<LoadedMapping> {
  const source = await readYamlSource(file, options.displayName);
  return loadMappingSource(source, options);
}

export async function loadMappingSource(source: YamlSource, options: LoadOptions = {}): Promise<LoadedMapping> {
  const fail = (diagnostics: Diagnostic[]) => {
    throw new SourceLoadError(diagnostics.map(source.place));
  };
  const schemaProblems = validateAgainstSchema('mapping', source.value);
  if (schemaProblems.length) fail(schemaProblems);

  const environmentProblems: Diagnostic[] = [];
  const document = substituteEnvironment(source.value, options.env ?? process.env, environmentProblems) as MappingDocument;
  const urlProblems = checkUrls(document);
  if (environmentProblems.length || urlProblems.length) fail([...environmentProblems, ...urlProblems]);

  const functions = await importFunctions(document, source.file);
  if (functions.problems.length) fail(functions.problems);

  const { table, diagnostics } = compileMapping(document, { resolveFunction: (reference) => functions.found.get(reference) });
  if (!table) fail(diagnostics);
  return { file: source.file, document, table: table!, diagnostics: diagnostics.map(source.place) };
}

function checkUrls(document: MappingDocument): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const key of ['upstream', 'legacy'] as const) {
    const value = document[key];
    if (!value) continue;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      if (url.search || url.hash) throw new Error('has a query');
    } catch {
      problems.push({ severity: 'error', pointer: pointerOf(key), message: `"${value}" is not a base URL such as http://127.0.0.1:4002 (http or https, no query)` });
    }
  }
  return problems;
}

/** Imports every module named by an `fn:` step, so compilation stays synchronous and pure. */
async function importFunctions(document: MappingDocument, mappingFile: string) {
  const found = new Map<string, TransformFunction>();
  const problems: Diagnostic[] = [];
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  // A module that cannot be imported is reported once, at its first reference, not per step.
  const unimportable = new Set<string>();
  for (const { reference, pointer } of findFunctionReferences(document)) {
    if (found.has(reference)) continue;
    const [modulePath, exportName] = reference.split('#') as [string, string];
    if (!modulePath.startsWith('./') && !modulePath.startsWith('../')) {
      problems.push({ severity: 'error', pointer, message: `"${modulePath}" must be a relative path (./transforms.ts) next to the mapping` });
      continue;
    }
    const absolute = resolve(dirname(mappingFile), modulePath);
    if (unimportable.has(absolute)) continue;
    if (!modules.has(absolute)) modules.set(absolute, importModule(absolute));
    try {
      const module = await modules.get(absolute)!;
      const candidate = module[exportName];
      if (typeof candidate !== 'function') {
        const exports = Object.keys(module).filter((name) => name !== 'default' && name !== 'module.exports');
        problems.push({ severity: 'error', pointer, message: `${modulePath} has no exported function "${exportName}"; exports: ${exports.join(', ') || 'none'}` });
      } else found.set(reference, candidate as TransformFunction);
    } catch (error) {
      unimportable.add(absolute);
      problems.push({ severity: 'error', pointer, message: `cannot import ${modulePath}: ${importFailure(error as Error, dirname(mappingFile))}` });
    }
  }
  return { found, problems };
}

/**
 * Modules load through tsx as ES modules wherever they live: a folder without a package.json (a
 * ConfigMap mount such as /etc/api-compat) would otherwise make Node treat a `.ts` file as
 * CommonJS and hide its named exports. JavaScript goes the same way, so a syntax error in either
 * is reported with its line and column (Node's own loader names neither).
 */
async function importModule(absolute: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(absolute).href, import.meta.url)) as Record<string, unknown>;
}

/**
 * One line saying why an import failed. esbuild (inside tsx) puts the location on the line after
 * "Transform failed with 1 error:", as `file:line:column: ERROR: text` with a 0-based column.
 */
function importFailure(error: Error, mappingDir: string): string {
  const lines = error.message.split('\n');
  for (const line of lines) {
    const located = /^(.+):(\d+):(\d+): ERROR: (.+)$/.exec(line);
    if (located) return `${located[4]} at ${relative(mappingDir, located[1]!)}:${located[2]}:${Number(located[3]) + 1}`;
  }
  return lines[0]!;
}

function findFunctionReferences(value: unknown, path: Array<string | number> = []): Array<{ reference: string; pointer: string }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => findFunctionReferences(item, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    (key === 'fn' || key === 'handler') && typeof item === 'string' ? [{ reference: item, pointer: pointerOf(...path, key) }] : findFunctionReferences(item, [...path, key]),
  );
}
