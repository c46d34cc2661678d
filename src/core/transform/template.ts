import type { ExchangeContext } from '../model/exchange-context.js';
import { isRecord } from './path.js';
import { compileReference, type Reader } from './reference.js';

/**
 * Values in `set`, `header`, call parameters and condition operands may embed
 * `${reference|filter|filter:arg}` (references: see reference.ts). A string that is one whole
 * `${...}` keeps the referenced value's type; anything else is string interpolation. Templates
 * compile once; at run time they only read paths.
 */
export type Template = (message: unknown, context?: ExchangeContext) => unknown;

type Filter = (value: unknown, argument: string | undefined) => unknown;

const textFilter = (change: (text: string) => string): Filter => (value) => (value === undefined || value === null ? value : change(String(value)));

const FILTERS: Record<string, Filter> = {
  lower: textFilter((value) => value.toLowerCase()),
  upper: textFilter((value) => value.toUpperCase()),
  trim: textFilter((value) => value.trim()),
  /** `https://x.test/problems/not-found` -> `not-found` */
  'last-segment': textFilter((value) => value.replace(/[/#]+$/, '').split(/[/#]/).pop() ?? value),
  /** `Not Found` -> `not-found` */
  slug: textFilter((value) => words(value).join('-')),
  /** `not-found` -> `not_found` */
  snake: textFilter((value) => words(value).join('_')),
  /** A list as one string: `join` uses ",", `join: ;` any other separator. Absent or empty lists give nothing. */
  join: (value, separator) => {
    const list = Array.isArray(value) ? value.filter((item) => item !== undefined && item !== null) : value === undefined || value === null ? [] : [value];
    return list.length ? list.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(separator ?? ',') : undefined;
  },
  /** `"5"` -> 5; text that is not a number gives nothing. */
  number: (value) => {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  },
  /** Any value as a string; objects as JSON. */
  string: (value) => (value === undefined || value === null ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)),
  /** How many elements a list has (0 for nothing, 1 for a single value). */
  count: (value) => (Array.isArray(value) ? value.length : value === undefined || value === null ? 0 : 1),
  /** The first element of a list (or the value itself). */
  first: (value) => (Array.isArray(value) ? value[0] : value),
  /** A value for when there is none: `${request.query.limit|default:10}` (numbers stay numbers). */
  default: (value, fallback) => (value === undefined || value === null || value === '' ? literal(fallback ?? '') : value),
  /** Percent-encodes for a URL component (RFC 3986 section 2.1). */
  'url-encode': textFilter((value) => encodeURIComponent(value)),
};

export const TEMPLATE_FILTERS = Object.keys(FILTERS);

function literal(text: string): unknown {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function words(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export class TemplateError extends Error {}

export function hasPlaceholder(value: unknown): boolean {
  if (typeof value === 'string') return /\$\{[^}]*\}/.test(value);
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (isRecord(value)) return Object.values(value).some(hasPlaceholder);
  return false;
}

/** Compiles any JSON value; placeholders may sit in nested strings. */
export function compileTemplate(value: unknown): Template {
  if (typeof value === 'string') return compileString(value);
  if (Array.isArray(value)) {
    const parts = value.map(compileTemplate);
    return (message, context) => parts.map((part) => part(message, context));
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, child]) => [key, compileTemplate(child)] as const);
    return (message, context) => {
      const result: Record<string, unknown> = {};
      for (const [key, part] of entries) {
        const child = part(message, context);
        // A placeholder that finds nothing leaves its member out rather than writing undefined.
        if (child !== undefined) result[key] = child;
      }
      return result;
    };
  }
  return () => value;
}

/** The references a template reads (`body.x`, `request.query.q`, `main.body.id`). */
export function templateReferences(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!.split('|')[0]!.trim());
  if (Array.isArray(value)) return value.flatMap(templateReferences);
  if (isRecord(value)) return Object.values(value).flatMap(templateReferences);
  return [];
}

function compileString(text: string): Template {
  const whole = /^\$\{([^}]*)\}$/.exec(text);
  if (whole) return compileExpression(whole[1]!);
  if (!hasPlaceholder(text)) return () => text;
  const pieces: Array<string | Template> = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    pieces.push(text.slice(last, match.index));
    pieces.push(compileExpression(match[1]!));
    last = match.index + match[0].length;
  }
  pieces.push(text.slice(last));
  return (message, context) => {
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') out += piece;
      else {
        const value = piece(message, context);
        if (value !== undefined && value !== null) out += typeof value === 'object' ? JSON.stringify(value) : String(value);
      }
    }
    return out;
  };
}

function compileExpression(expression: string): Template {
  const [pathText, ...filterTexts] = expression.split('|');
  if (!pathText?.trim()) throw new TemplateError(`empty placeholder "\${${expression}}"`);
  const read: Reader = compileReference(pathText).read;
  const filters = filterTexts.map((filterText) => {
    const colon = filterText.indexOf(':');
    const name = (colon < 0 ? filterText : filterText.slice(0, colon)).trim();
    const argument = colon < 0 ? undefined : filterText.slice(colon + 1).trim();
    const filter = FILTERS[name];
    if (!filter) throw new TemplateError(`unknown filter "${name}" in "\${${expression}}"; filters: ${TEMPLATE_FILTERS.join(', ')}`);
    return (value: unknown) => filter(value, argument);
  });
  if (filters.length === 0) return read;
  return (message, context) => filters.reduce((value, filter) => filter(value), read(message, context));
}
