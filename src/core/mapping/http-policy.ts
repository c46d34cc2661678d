import { isRecord } from '../transform/path.js';

/**
 * How the gateway writes a v1 answer's bytes and the HTTP behaviours v1 clients rely on, as
 * data: the server applies them at the very end, and `translate` shows the same decisions.
 *
 *     render:
 *       json: compact            # or pretty (2 spaces), or { indent: 4 }
 *       contentType: application/json; charset=utf-8
 *       etag: { algorithm: sha256, encoding: base64url }   # strong validator over the exact bytes
 *     cors:
 *       origins: [https://shop.example.com]                # reflected; "*" allows any
 *       credentials: true
 *       exposeHeaders: [X-Total-Count, Link, ETag]
 *       allowMethods: [GET, POST]                          # preflights, answered by the gateway
 *       allowHeaders: [Content-Type]
 *       maxAge: 600
 */
export interface RenderPolicy {
  /** Spaces of indentation for JSON bodies the gateway serialises (0: compact). */
  indent: number;
  /** Content-Type of JSON bodies the gateway serialises, exactly as v1 sent it. */
  contentType?: string;
  /** An entity tag over the exact body bytes, with If-None-Match answered 304 (RFC 9110 8.8.3, 13.1.2). */
  etag?: { algorithm: 'sha1' | 'sha256' | 'md5'; encoding: 'hex' | 'base64' | 'base64url'; weak: boolean; methods: readonly string[] };
}

export interface CorsPolicy {
  origins: ReadonlySet<string> | '*';
  credentials: boolean;
  exposeHeaders: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  maxAge?: number;
  /** `Vary: Origin` on every answer, as a cache-safe allow-list policy needs. */
  vary: boolean;
}

export class PolicyError extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

const ALGORITHMS = ['sha1', 'sha256', 'md5'] as const;
const ENCODINGS = ['hex', 'base64', 'base64url'] as const;

export function compileRender(document: unknown, inherited: RenderPolicy = { indent: 0 }): RenderPolicy {
  if (document === undefined) return inherited;
  if (!isRecord(document)) throw new PolicyError('', 'render is an object: { json, contentType, etag }');
  const policy: RenderPolicy = { ...inherited };
  if (document.json !== undefined) {
    const json = document.json;
    if (json === 'compact') policy.indent = 0;
    else if (json === 'pretty') policy.indent = 2;
    else if (isRecord(json) && Number.isInteger(json.indent) && (json.indent as number) >= 0 && (json.indent as number) <= 10) policy.indent = json.indent as number;
    else throw new PolicyError('/json', 'json is compact, pretty or { indent: 0..10 }');
  }
  if (document.contentType !== undefined) {
    if (typeof document.contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w-]+=("[^"]*"|[\w.+-]+))*$/.test(document.contentType)) {
      throw new PolicyError('/contentType', 'contentType is a media type such as application/json; charset=utf-8');
    }
    policy.contentType = document.contentType;
  }
  if (document.etag !== undefined) {
    const etag = document.etag;
    if (etag === false || etag === 'none') delete policy.etag;
    else {
      const options = etag === true || etag === 'strong' ? {} : etag === 'weak' ? { weak: true } : etag;
      if (!isRecord(options)) throw new PolicyError('/etag', 'etag is strong, weak, none or { algorithm, encoding, weak }');
      const algorithm = (options.algorithm ?? 'sha256') as RenderPolicy['etag'] & string;
      const encoding = (options.encoding ?? 'base64url') as string;
      if (!ALGORITHMS.includes(algorithm as never)) throw new PolicyError('/etag/algorithm', `algorithm is one of ${ALGORITHMS.join(', ')}`);
      if (!ENCODINGS.includes(encoding as never)) throw new PolicyError('/etag/encoding', `encoding is one of ${ENCODINGS.join(', ')}`);
      const methods = Array.isArray(options.methods) ? options.methods.map((m) => String(m).toUpperCase()) : ['GET', 'HEAD'];
      policy.etag = { algorithm: algorithm as 'sha256', encoding: encoding as 'base64url', weak: options.weak === true, methods };
    }
  }
  return policy;
}

export function compileCors(document: unknown): CorsPolicy | undefined {
  if (document === undefined) return undefined;
  if (!isRecord(document)) throw new PolicyError('', 'cors is an object: { origins, credentials, exposeHeaders, allowMethods, allowHeaders, maxAge }');
  const list = (key: string): string[] | undefined => {
    const value = document[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new PolicyError(`/${key}`, `${key} is a list of strings`);
    return value as string[];
  };
  const origins = list('origins');
  if (!origins || origins.length === 0) throw new PolicyError('/origins', 'origins lists the browser origins allowed, e.g. [https://shop.example.com], or ["*"]');
  const credentials = document.credentials === true;
  if (credentials && origins.includes('*')) throw new PolicyError('/credentials', 'credentials cannot be allowed for any origin ("*"): the Fetch standard forbids it; list the origins');
  const maxAge = document.maxAge;
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || (maxAge as number) < 0)) throw new PolicyError('/maxAge', 'maxAge is a number of seconds');
  return {
    origins: origins.includes('*') ? '*' : new Set(origins),
    credentials,
    exposeHeaders: list('exposeHeaders') ?? [],
    ...(list('allowMethods') ? { allowMethods: list('allowMethods')! } : {}),
    ...(list('allowHeaders') ? { allowHeaders: list('allowHeaders')! } : {}),
    ...(maxAge !== undefined ? { maxAge: maxAge as number } : {}),
    vary: document.vary !== false,
  };
}
