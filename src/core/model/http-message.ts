/**
 * One HTTP message as the transform engine sees it: a single JSON-like document, so that a
 * mapping can address any part of it with one path syntax (`query.limit`, `headers.x-total-count`,
 * `body.items[].id`, `status`). Header names are always lower case.
 */
export type HeaderValue = string | string[];

export interface HttpMessage {
  method: string;
  /** The path without its query string. */
  path: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, HeaderValue>;
  /** Parsed JSON, a string for other text, or undefined when the message has no body. */
  body: unknown;
  /** 0 on requests. */
  status: number;
}

export function emptyMessage(init: Partial<HttpMessage> = {}): HttpMessage {
  return {
    method: init.method ?? '',
    path: init.path ?? '',
    params: init.params ?? {},
    query: init.query ?? {},
    headers: init.headers ?? {},
    body: init.body,
    status: init.status ?? 0,
  };
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** `application/json`, `application/problem+json`, `text/json`... (RFC 6839 structured suffix). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === 'text/json';
}

export function headerText(value: HeaderValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}
