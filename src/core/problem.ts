import { PROBLEMS, type CompatError, type ProblemCode } from './errors.js';

/** RFC 9457 problem details, https://www.rfc-editor.org/rfc/rfc9457 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemTypeUri(code: ProblemCode): string {
  // A tag URI (RFC 4151): stable and unique, and never fetched by clients.
  return `tag:api-compat,2026:problem:${code}`;
}

export function problemBody(code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}): Record<string, unknown> {
  const { status, title } = PROBLEMS[code];
  return { type: problemTypeUri(code), title, status, detail, code, ...extensions };
}

export function problemFromError(error: CompatError): { status: number; body: Record<string, unknown> } {
  return { status: error.status, body: problemBody(error.code, error.message, error.extensions) };
}
