import { headerText, type HeaderValue } from '../model/http-message.js';

/** A response as a target returned it: body parsed when JSON, text otherwise, undefined when empty. */
export interface ObservedResponse {
  status: number;
  headers: Record<string, HeaderValue>;
  body: unknown;
}

/** What the comparison looks at: the one normalised view both sides go through. */
export interface ComparedView {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * The normaliser: status, the chosen headers (values joined; media types lower-cased without
 * spacing or the redundant `charset=utf-8`, unless `strictContentType`; a Location, and every
 * URL of an RFC 8288 Link header, on the target's own origin made relative, since v1 and the
 * gateway live on different origins), and the body as parsed.
 */
export function comparedView(response: ObservedResponse, options: { headers: readonly string[]; origin?: string; strictContentType?: boolean }): ComparedView {
  const headers: Record<string, string> = {};
  for (const name of options.headers) {
    const value = headerText(response.headers[name]);
    if (value === undefined) continue;
    if (name === 'content-type') headers[name] = options.strictContentType ? value : normaliseMediaType(value);
    else if (name === 'location' || name === 'content-location') headers[name] = relativeToOrigin(value, options.origin);
    else if (name === 'link') headers[name] = value.replace(/<([^>]*)>/g, (_whole, url: string) => `<${relativeToOrigin(url, options.origin)}>`);
    else headers[name] = value;
  }
  const view: ComparedView = { status: response.status, headers };
  if (response.body !== undefined) view.body = response.body;
  return view;
}

export function normaliseMediaType(value: string): string {
  return value
    .toLowerCase()
    .split(';')
    .map((part) => part.trim().replace(/\s*=\s*/, '='))
    .filter((part, index) => part !== '' && (index === 0 || part.replace(/"/g, '') !== 'charset=utf-8'))
    .join('; ');
}

function relativeToOrigin(value: string, origin: string | undefined): string {
  if (!origin) return value;
  try {
    const url = new URL(value);
    return url.origin === new URL(origin).origin ? url.pathname + url.search + url.hash : value;
  } catch {
    return value;
  }
}
