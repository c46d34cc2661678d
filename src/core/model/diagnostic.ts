/** A problem found in a user's file, located by JSON pointer (the io layer adds line and column). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** RFC 6901 JSON pointer into the document, e.g. `/endpoints/2/request/0/move`. */
  pointer: string;
  message: string;
}

export function pointerOf(...parts: Array<string | number>): string {
  return parts.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
