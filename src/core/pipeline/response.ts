import type { CompiledEndpoint, CompiledErrorRule, CompiledTable } from '../mapping/compiled.js';
import type { ExchangeContext } from '../model/exchange-context.js';
import { isSuccessStatus, type HttpMessage } from '../model/http-message.js';
import { asTranslationError } from './request.js';
import { runSteps, type TraceEntry } from './trace.js';

/**
 * v2 response -> v1 response. A 2xx runs the endpoint's response steps; any other status runs
 * every error rule whose condition matches the v2 status, the endpoint's own rules first, then
 * the mapping-wide ones. The message is changed in place.
 */
export function translateResponse(table: CompiledTable, endpoint: CompiledEndpoint, response: HttpMessage, trace?: TraceEntry[], context?: ExchangeContext): HttpMessage {
  try {
    if (isSuccessStatus(response.status)) return runSteps(endpoint.response, response, 'response', trace, context) as HttpMessage;
    return applyErrorRules([...endpoint.errors, ...table.errors], response, trace, context);
  } catch (error) {
    throw asTranslationError(error, 'response-not-translatable', endpoint.id);
  }
}

/**
 * Runs every error rule whose condition holds, in order. Which rules apply is decided against
 * the response as v2 sent it, so one rule's edits never select or skip another.
 */
export function applyErrorRules(rules: readonly CompiledErrorRule[], response: HttpMessage, trace?: TraceEntry[], context?: ExchangeContext): HttpMessage {
  const applicable = rules.filter((rule) => {
    const held = rule.applies(response, context);
    if (!held && trace && rule.condition) trace.push({ stage: `error ${rule.condition}`, op: 'when', description: 'The rule does not apply.', pointer: rule.pointer, changed: false, condition: { text: rule.condition, held } });
    return held;
  });
  let message: unknown = response;
  for (const rule of applicable) message = runSteps(rule.steps, message, `error ${rule.condition}`, trace, context);
  return message as HttpMessage;
}

/** The error rules that apply to a response, endpoint rules first, then the mapping-wide ones. */
export function matchingErrorRules(table: CompiledTable, endpoint: CompiledEndpoint | undefined, response: HttpMessage, context?: ExchangeContext): CompiledErrorRule[] {
  return [...(endpoint?.errors ?? []), ...table.errors].filter((rule) => rule.applies(response, context));
}
