import { escapeHtml } from './escape.js';

/**
 * A tagged template for building HTML in which escaping is the default: every interpolated string
 * is escaped unless it is already `SafeHtml` (the result of another `html` template). Forgetting
 * to escape a report value is therefore impossible rather than merely unlikely.
 */

export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** `false`, `null` and `undefined` render nothing, for `${condition && html`...`}`. */
export type HtmlInterpolation = SafeHtml | string | number | false | null | undefined | readonly HtmlInterpolation[];

export function html(strings: TemplateStringsArray, ...values: HtmlInterpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += interpolate(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks a constant written in this code base (the stylesheet) as HTML; never pass report data. */
export function trustedHtml(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

/** Joins fragments with a separator that is itself escaped. */
export function joinHtml(parts: readonly HtmlInterpolation[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map(interpolate).join(escapeHtml(separator)));
}

function interpolate(value: HtmlInterpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  return '';
}
