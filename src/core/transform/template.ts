import { isRecord, getValue, parseFieldPath, parseMessagePath, type ValuePath } from './path.js';

/**
 * Values in `set`, `header` and call parameters may embed `${path|filter|filter}`. A string that
 * is one whole `${...}` keeps the referenced value's type; anything else is string
 * interpolation. Templates compile once; at run time they only read paths.
 */
export type TemplateScope = Record<string, unknown>;
export type Template = (scope: TemplateScope) => unknown;

const FILTERS: Record<string, (value: string) => string> = {
  lower: (value) => value.toLowerCase(),
  upper: (value) => value.toUpperCase(),
  trim: (value) => value.trim(),
  /** `https://x.test/problems/not-found` -> `not-found` */
  'last-segment': (value) => value.replace(/[/#]+$/, '').split(/[/#]/).pop() ?? value,
  /** `Not Found` -> `not-found` */
  slug: (value) => words(value).join('-'),
  /** `not-found` -> `not_found` */
  snake: (value) => words(value).join('_'),
};

export const TEMPLATE_FILTERS = Object.keys(FILTERS);

function words(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const MESSAGE_SECTION = /^(method|path|status|params|query|headers|body)\b/;

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
    return (scope) => parts.map((part) => part(scope));
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, child]) => [key, compileTemplate(child)] as const);
    return (scope) => {
      const result: Record<string, unknown> = {};
      for (const [key, part] of entries) result[key] = part(scope);
      return result;
    };
  }
  return () => value;
}

/** The paths a template reads, e.g. for "params used but never provided" checks. */
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
  return (scope) => {
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') out += piece;
      else {
        const value = piece(scope);
        if (value !== undefined && value !== null) out += typeof value === 'object' ? JSON.stringify(value) : String(value);
      }
    }
    return out;
  };
}

function compileExpression(expression: string): Template {
  const [pathText, ...filterNames] = expression.split('|').map((part) => part.trim());
  if (!pathText) throw new TemplateError(`empty placeholder "\${${expression}}"`);
  const path = parseScopedPath(pathText);
  const filters = filterNames.map((name) => {
    const filter = FILTERS[name];
    if (!filter) throw new TemplateError(`unknown filter "${name}" in "\${${expression}}"; filters: ${TEMPLATE_FILTERS.join(', ')}`);
    return filter;
  });
  if (filters.length === 0) return (scope) => getValue(scope, path);
  return (scope) => {
    const value = getValue(scope, path);
    if (value === undefined || value === null) return value;
    return filters.reduce((text, filter) => filter(text), String(value));
  };
}

/** `body.x`, `headers.X-Id` (message paths) or `main.body.id` (a named document in scope). */
function parseScopedPath(text: string): ValuePath {
  if (MESSAGE_SECTION.test(text)) return parseMessagePath(text);
  const dot = text.indexOf('.');
  if (dot > 0 && MESSAGE_SECTION.test(text.slice(dot + 1))) {
    const inner = parseMessagePath(text.slice(dot + 1));
    return { ...inner, text, segments: [{ kind: 'key', key: text.slice(0, dot) }, ...inner.segments] };
  }
  return parseFieldPath(text);
}
