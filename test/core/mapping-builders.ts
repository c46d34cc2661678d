import { compileMapping } from '../../src/core/mapping/compile.js';
import type { CompiledTable } from '../../src/core/mapping/compiled.js';
import type { Diagnostic } from '../../src/core/model/diagnostic.js';
import type { EndpointDocument, MappingDocument } from '../../src/core/model/mapping.js';
import type { FunctionResolver } from '../../src/core/ports.js';

/** A mapping document with the required keys filled in; tests add only what they are about. */
export function mappingDocument(parts: Partial<MappingDocument> = {}): MappingDocument {
  return { name: 'test mapping', upstream: 'http://v2.test', endpoints: [], ...parts };
}

/** An endpoint whose v1 and v2 routes are given as "METHOD /path". */
export function endpoint(id: string, v1: string, v2: string | undefined, parts: Partial<EndpointDocument> = {}): EndpointDocument {
  return { id, v1, ...(v2 === undefined ? {} : { v2 }), ...parts };
}

export function diagnosticsOf(document: MappingDocument, resolveFunction?: FunctionResolver): Diagnostic[] {
  return compileMapping(document, { resolveFunction }).diagnostics;
}

/** Compiles a mapping that must be valid; a diagnostic fails the test with its pointer and sentence. */
export function compiledTable(document: MappingDocument, resolveFunction?: FunctionResolver): CompiledTable {
  const { table, diagnostics } = compileMapping(document, { resolveFunction });
  if (!table || diagnostics.length > 0) {
    throw new Error(`the test mapping does not compile:\n${diagnostics.map((d) => `  ${d.pointer}: ${d.message}`).join('\n')}`);
  }
  return table;
}
