import type { Context } from 'hono';
import { CompatError } from '../core/errors.js';
import type { CompiledEndpoint } from '../core/mapping/compiled.js';
import type { MappingDocument, ModeDocument } from '../core/model/mapping.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { bufferedResponse, clientGoneSignal, hasRequestBody, readRawRequestBody, splitUrl, upstreamHeaders, type IncomingV1 } from './message-io.js';
import type { ShadowComparer } from './shadow.js';

/**
 * Per-endpoint rollout modes, read from the mapping beside the compiled table and swapped with
 * it on hot reload: an endpoint is rolled back to `legacy` by one edit of the file.
 */
export type EndpointMode =
  | { kind: 'translate' }
  | { kind: 'legacy' }
  | { kind: 'shadow'; shadowSafe: boolean }
  | { kind: 'split'; percent: number; sticky?: string };

export type RolloutTable = ReadonlyMap<string, EndpointMode>;

export function rolloutOf(document: MappingDocument): RolloutTable {
  const modes = new Map<string, EndpointMode>();
  for (const endpoint of document.endpoints) modes.set(endpoint.id, modeOf(endpoint.mode, endpoint.shadowSafe === true));
  return modes;
}

function modeOf(mode: ModeDocument | undefined, shadowSafe: boolean): EndpointMode {
  if (mode === undefined || mode === 'translate') return { kind: 'translate' };
  if (mode === 'legacy') return { kind: 'legacy' };
  if (mode === 'shadow') return { kind: 'shadow', shadowSafe };
  return { kind: 'split', percent: Number.parseFloat(mode.split), sticky: mode.sticky?.toLowerCase() };
}

/** Modes that need the legacy API, when none is configured: one sentence per endpoint. */
export function rolloutProblems(rollout: RolloutTable, hasLegacy: boolean): string[] {
  if (hasLegacy) return [];
  const problems: string[] = [];
  for (const [id, mode] of rollout) {
    if (mode.kind !== 'translate') problems.push(`endpoint "${id}" has mode ${mode.kind}, which needs the legacy API: set \`legacy\` in the mapping or pass --legacy`);
  }
  return problems;
}

// RFC 9110 section 9.2.1: safe methods do not change state, so calling both sides is harmless.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Handler = (v1: IncomingV1, extra: Record<string, string>, c: Context) => Promise<Response>;

export interface RolloutParts {
  /** Serves the request through v2 (the mapped handler). */
  translate: Handler;
  /** Passes the request to legacy untouched, streaming (absent without a legacy API). */
  passThrough?: Handler;
  legacy?: UpstreamClient;
  shadow?: ShadowComparer;
}

/** The handler for one endpoint under its mode; `translate` is the handler itself. */
export function withRollout(endpoint: CompiledEndpoint, mode: EndpointMode | undefined, parts: RolloutParts): Handler {
  const { translate, passThrough, legacy, shadow } = parts;
  if (!mode || mode.kind === 'translate' || endpoint.removed || !passThrough || !legacy) return translate;
  if (mode.kind === 'legacy') return passThrough;
  if (mode.kind === 'split') {
    const share = mode.percent / 100;
    return (v1, extra, c) => (splitsToTranslation(v1, share, mode.sticky) ? translate(v1, extra, c) : passThrough(v1, extra, c));
  }
  if (!shadow) return passThrough;
  return async (v1, extra, c) => {
    if (!SAFE_METHODS.has(v1.request.method) && !mode.shadowSafe) return passThrough(v1, extra, c);
    if (!shadow.hasRoom()) {
      shadow.dropped(endpoint.id);
      return passThrough(v1, extra, c);
    }
    return shadowed(endpoint.id, v1, extra, c, { translate, legacy, shadow, passThrough });
  };
}

/**
 * Shadow: the client's answer comes from legacy (read whole, within the body limit, so it can
 * also be compared); the same request is then translated and sent to v2 in the background,
 * and the two answers compared. The client never waits for v2. What is too large to hold is
 * not compared but passed through streamed, as in `legacy` mode, and counted as dropped: shadow
 * mode must not change the client's answer.
 */
async function shadowed(endpointId: string, v1: IncomingV1, extra: Record<string, string>, c: Context, parts: { translate: Handler; legacy: UpstreamClient; shadow: ShadowComparer; passThrough: Handler }): Promise<Response> {
  const { legacy, translate, shadow, passThrough } = parts;
  const hasBody = hasRequestBody(v1);
  if (hasBody && Number(v1.headers['content-length']) > legacy.bodyLimit) {
    shadow.dropped(endpointId);
    return passThrough(v1, extra, c);
  }
  const body = hasBody ? await readRawRequestBody(v1, legacy.bodyLimit) : null;
  const { path, search } = splitUrl(v1.request.url);
  const headers = upstreamHeaders(v1);
  const started = performance.now();
  v1.upstreamCalls++;
  let answer: Awaited<ReturnType<UpstreamClient['read']>>;
  try {
    answer = await legacy.read(v1.request.method, path + search, headers, body, clientGoneSignal(v1));
  } catch (error) {
    // Larger than can be held: ask again, streamed. Shadowed requests are safe to repeat (safe
    // methods, or declared shadowSafe); a request body already read cannot be streamed again.
    if (!(error instanceof CompatError && error.code === 'response-body-too-large') || body !== null) throw error;
    shadow.dropped(endpointId);
    return passThrough(v1, extra, c);
  }
  const legacyMs = performance.now() - started;
  const response = bufferedResponse(answer.status, answer.headers, answer.body, extra);
  // A detached copy: no socket (nothing can be written to the client), the body as bytes.
  const copy: IncomingV1 = {
    ...v1,
    incoming: undefined,
    outgoing: undefined,
    request: new Request(v1.request.url, { method: v1.request.method, headers: v1.request.headers, body: body && body.length > 0 ? body : null }),
    reservedBytes: 0,
    trace: [],
  };
  const accepted = shadow.offer({
    endpoint: endpointId,
    target: `${v1.request.method} ${path}${search}`,
    legacy: answer,
    legacyMs,
    requestBody: body ?? undefined,
    trace: copy.trace!,
    translated: async () => {
      try {
        return await translate(copy, {}, c);
      } finally {
        copy.policy.memoryBudget?.release(copy.reservedBytes);
      }
    },
    done: () => legacy.release(answer),
  });
  if (!accepted) legacy.release(answer);
  return response;
}

/** Sticky when the header is present: the same client always lands on the same side. */
function splitsToTranslation(v1: IncomingV1, share: number, sticky: string | undefined): boolean {
  const key = sticky ? v1.headers[sticky] : undefined;
  if (typeof key === 'string' && key !== '') return fnv1a(key) / 0x1_0000_0000 < share;
  return Math.random() < share;
}

/**
 * FNV-1a, 32 bits, then MurmurHash3's finaliser so that keys differing only in their last
 * characters (`client-1`, `client-2`) spread evenly: a stable hash, not a security boundary.
 */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
