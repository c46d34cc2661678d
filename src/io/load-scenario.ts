import { dirname, resolve } from 'node:path';
import type { CompiledTable } from '../core/mapping/compiled.js';
import type { Diagnostic } from '../core/model/diagnostic.js';
import type { CompiledSuite, SuiteDocument } from '../core/model/scenario.js';
import { matchEndpoint } from '../core/pipeline/match.js';
import { compileSuite } from '../core/scenario/compile-suite.js';
import { substituteEnvironment } from './environment.js';
import { validateAgainstSchema } from './schema-validation.js';
import { readYamlSource, SourceLoadError, type SourceDiagnostic, type YamlSource } from './yaml-source.js';

export interface LoadedSuite {
  file: string;
  document: SuiteDocument;
  suite: CompiledSuite;
  /** The suite's `mapping:` resolved against the suite file's folder, if it names one. */
  mappingFile?: string;
  /** Warnings; errors are thrown as SourceLoadError. */
  diagnostics: SourceDiagnostic[];
  /** Places pointers in the file, for warnings found later (e.g. against the mapping). */
  source: YamlSource;
}

/**
 * Reads, validates and compiles a scenario suite, like a mapping: every problem (YAML syntax,
 * schema, unknown matcher, capture used before it is taken...) reported at once with
 * file:line:column and the JSON pointer. `${id}` captures survive environment substitution,
 * which only touches upper-case names.
 */
export async function loadSuiteFile(file: string, options: { env?: Record<string, string | undefined> } = {}): Promise<LoadedSuite> {
  return loadSuiteSource(await readYamlSource(file), options);
}

export function loadSuiteSource(source: YamlSource, options: { env?: Record<string, string | undefined> } = {}): LoadedSuite {
  const fail = (diagnostics: Diagnostic[]): never => {
    throw new SourceLoadError(diagnostics.map(source.place));
  };
  const schemaProblems = validateAgainstSchema('scenario', source.value);
  if (schemaProblems.length) fail(schemaProblems);
  const environmentProblems: Diagnostic[] = [];
  const document = substituteEnvironment(source.value, options.env ?? process.env, environmentProblems) as SuiteDocument;
  if (environmentProblems.length) fail(environmentProblems);
  const { suite, diagnostics } = compileSuite(document);
  if (!suite) return fail(diagnostics);
  return {
    file: source.file,
    document,
    suite,
    mappingFile: document.mapping ? resolve(dirname(source.file), document.mapping) : undefined,
    diagnostics: diagnostics.map(source.place),
    source,
  };
}

/** Warnings for requests no mapping endpoint serves: the gateway would answer 404 (or pass them to legacy). */
export function checkSuiteAgainstMapping(loaded: LoadedSuite, table: CompiledTable): SourceDiagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const scenario of loaded.suite.scenarios) {
    for (const step of scenario.steps) {
      const path = step.request.target.split('?', 1)[0]!;
      if (!matchEndpoint(table, step.request.method, path)) {
        warnings.push({
          severity: 'warning',
          pointer: `${step.pointer}/request`,
          message: `${step.request.method} ${path} matches no endpoint of mapping "${table.name}"; it will be scored as an unmapped route`,
        });
      }
    }
  }
  return warnings.map(loaded.source.place);
}
