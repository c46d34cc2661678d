import type { HttpMessage } from './model/http-message.js';

/**
 * A step function named by `fn: ./module.ts#exportName`. It receives the message (which it may
 * change in place or replace by returning a new one) and where it runs.
 */
export type TransformFunction = (
  message: HttpMessage,
  context: { endpoint: string; direction: 'to-v2' | 'to-v1' },
) => HttpMessage | void;

/** Looks up `fn:` references; the io layer imports the modules before compiling. */
export type FunctionResolver = (reference: string) => TransformFunction | undefined;

/** Sends one v2 request and returns the v2 response: the only I/O a translation needs. */
export type SendUpstream = (request: HttpMessage, call: { endpoint: string; call: string }) => Promise<HttpMessage>;
