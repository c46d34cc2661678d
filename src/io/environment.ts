import { pointerOf, type Diagnostic } from '../core/model/diagnostic.js';

/**
 * `${NAME}` and `${NAME:-default}` in string values. Only upper-case names are environment
 * variables, so lower-case placeholders (`${id}` captures, `${body.x}` templates) pass through
 * untouched. Substitution works on parsed values, never on raw text, so a variable can never
 * inject YAML structure.
 */
const VARIABLE = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

export function substituteEnvironment(value: unknown, env: Record<string, string | undefined>, diagnostics: Diagnostic[], path: Array<string | number> = []): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (whole, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      diagnostics.push({ severity: 'error', pointer: pointerOf(...path), message: `environment variable ${name} is not set; set it, or write \${${name}:-default}` });
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnvironment(item, env, diagnostics, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnvironment(item, env, diagnostics, [...path, key])]));
  }
  return value;
}
