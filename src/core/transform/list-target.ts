import type { CompileContext } from './op.js';
import { getValue, setValue, type ValuePath } from './path.js';

/** The list a list op works on: a path without [] (`body`, `body.data`). */
export function listPath(record: Record<string, unknown>, context: CompileContext): ValuePath {
  const text = record.at ?? 'body';
  if (typeof text !== 'string') context.fail('"at" is the path of the list, e.g. body or body.data');
  const path = context.parsePath(text);
  if (path.wildcards > 0) context.fail(`"at" names one list; "${text}" has []`);
  return path;
}

export function readList(root: unknown, path: ValuePath): unknown[] | undefined {
  const value = getValue(root, path);
  return Array.isArray(value) ? value : undefined;
}

export function writeList(root: unknown, path: ValuePath, list: unknown[]): unknown {
  return setValue(root, path, list);
}
