import type { RequestView } from './model/exchange-context.js';
import type { HttpMessage } from './model/http-message.js';

/** What an `fn:` step may read besides its message; all of it read-only. */
export interface StepFunctionContext {
  endpoint: string;
  direction: 'to-v2' | 'to-v1';
  /** The v1 request as the client sent it (an empty request outside an exchange). */
  request: RequestView;
  /** The v2 request the endpoint built, once it exists (response steps). */
  v2Request?: HttpMessage;
  /** v2 responses already received: `main` and supporting call ids. */
  responses: Readonly<Record<string, unknown>>;
}

/**
 * A step function named by `fn: ./module.ts#exportName`. It receives the message (which it may
 * change in place or replace by returning a new one) and its context.
 */
export type TransformFunction = (message: HttpMessage, context: StepFunctionContext) => HttpMessage | void;

/**
 * Looks up `fn:` and `handler:` references; the io layer imports the modules before compiling.
 * The compiler knows which signature each reference must have.
 */
export type FunctionResolver = (reference: string) => ((...args: never[]) => unknown) | undefined;

/** Sends one v2 request and returns the v2 response: the only I/O a translation needs. */
export type SendUpstream = (request: HttpMessage, call: { endpoint: string; call: string }) => Promise<HttpMessage>;
