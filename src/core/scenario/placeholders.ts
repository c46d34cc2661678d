import { isRecord } from '../transform/path.js';

/**
 * `${name}` in a scenario request is filled from the captures of the side it runs on: v1's own
 * ids on the v1 side, the ids the gateway returned on the gateway side. A string that is one
 * whole placeholder keeps the captured value's type (`task_id: "${id}"` sends a number).
 */
const PLACEHOLDER = /\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;
const WHOLE = /^\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}$/;

export type Captures = ReadonlyMap<string, unknown>;

export class MissingCapture extends Error {
  constructor(readonly capture: string) {
    super(`\${${capture}} has no value on this side`);
    this.name = 'MissingCapture';
  }
}

export function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (isRecord(value)) return Object.values(value).flatMap(placeholdersIn);
  return [];
}

/** Fills a path and query: captured values are percent-encoded so they stay one segment or value. */
export function fillTarget(target: string, captures: Captures): string {
  return target.replace(PLACEHOLDER, (_whole, name: string) => encodeURIComponent(textOf(lookup(captures, name))));
}

/** Fills every string inside a JSON value (bodies, headers). */
export function fillValue(value: unknown, captures: Captures): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(captures, whole[1]!);
    return value.replace(PLACEHOLDER, (_whole, name: string) => textOf(lookup(captures, name)));
  }
  if (Array.isArray(value)) return value.map((item) => fillValue(item, captures));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillValue(item, captures)]));
  return value;
}

function lookup(captures: Captures, name: string): unknown {
  if (!captures.has(name)) throw new MissingCapture(name);
  return captures.get(name);
}

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
