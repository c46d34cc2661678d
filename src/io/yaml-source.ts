import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../core/model/diagnostic.js';

/** A diagnostic placed in a file, ready to print as `file:line:column`. */
export interface SourceDiagnostic extends Diagnostic {
  file: string;
  line: number;
  column: number;
}

export interface YamlSource {
  file: string;
  value: unknown;
  /** Line and column (1-based) of the node a JSON pointer names, or of its nearest ancestor. */
  locate(pointer: string): { line: number; column: number };
  place(diagnostic: Diagnostic): SourceDiagnostic;
}

export class SourceLoadError extends Error {
  constructor(readonly diagnostics: SourceDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'SourceLoadError';
  }
}

export function formatDiagnostic(d: SourceDiagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity}${d.pointer ? ` at ${d.pointer}` : ''}: ${d.message}`;
}

/** Reads YAML (or JSON, which is YAML) keeping source positions; syntax errors throw. */
/** `displayName` is how diagnostics name the file (the path as the user typed it). */
export async function readYamlSource(file: string, displayName = file): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new SourceLoadError([{ file: displayName, line: 1, column: 1, severity: 'error', pointer: '', message: `cannot read the file: ${reason}` }]);
  }
  return parseYamlSource(file, text, displayName);
}

export function parseYamlSource(file: string, text: string, displayName = file): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SourceLoadError(
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { file: displayName, line: position.line, column: position.col, severity: 'error', pointer: '', message: `YAML syntax: ${error.message.split('\n')[0]}` };
      }),
    );
  }
  const locate = (pointer: string) => {
    const offset = offsetOf(document, pointer);
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  return {
    file,
    value: document.toJS({ maxAliasCount: 100 }),
    locate,
    place: (diagnostic) => ({ ...diagnostic, file: displayName, ...locate(diagnostic.pointer) }),
  };
}

function offsetOf(document: Document, pointer: string): number {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === part);
      if (!pair) break;
      // Point at the key: "line 12: mvoe:" reads better than the value's first character.
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset ?? 0;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}
