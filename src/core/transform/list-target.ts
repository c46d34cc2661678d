import { CompatError } from '../errors.js';
import type { ExchangeContext } from '../model/exchange-context.js';
import type { CompileContext } from './op.js';
import { getValue, setValue, type ValuePath } from './path.js';
import { compileTemplate, hasPlaceholder, type Template } from './template.js';

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

/**
 * A whole number read from the exchange (usually a v1 query parameter). Absent gives the
 * fallback; anything else that is not a whole number within bounds is the client's mistake,
 * answered 400 invalid-query-value (or the mapping's v1 error shape).
 */
export function compileCount(value: unknown, name: string, context: CompileContext, bounds: { min: number }): (root: unknown, exchange?: ExchangeContext) => number | undefined {
  if (value === undefined) return () => undefined;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < bounds.min) context.fail(`"${name}" must be a whole number of at least ${bounds.min}`);
    return () => value;
  }
  if (typeof value !== 'string' || !hasPlaceholder(value)) context.fail(`"${name}" takes a number or a template such as "\${request.query.${name}}"`);
  const template: Template = compileTemplate(value);
  return (root, exchange) => {
    const raw = template(root, exchange);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const text = String(Array.isArray(raw) ? raw[0] : raw).trim();
    const number = /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(number) || number < bounds.min) {
      throw new CompatError('invalid-query-value', `"${text}" is not a valid ${name}: expected a whole number of at least ${bounds.min}`, { parameter: name });
    }
    return number;
  };
}
