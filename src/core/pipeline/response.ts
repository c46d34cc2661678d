import type { CompiledEndpoint, CompiledErrorRule, CompiledTable } from '../mapping/compiled.js';
import { isSuccessStatus, type HttpMessage } from '../model/http-message.js';
import { asTranslationError } from './request.js';
import { runSteps, type TraceEntry } from './trace.js';

/**
 * v2 response -> v1 response. A 2xx runs the endpoint's response steps; any other status runs
 * every error rule whose condition matches the v2 status, the endpoint's own rules first, then
 * the mapping-wide ones. The message is changed in place.
 */
export function translateResponse(table: CompiledTable, endpoint: CompiledEndpoint, response: HttpMessage, trace?: TraceEntry[]): HttpMessage {
  try {
    if (isSuccessStatus(response.status)) return runSteps(endpoint.response, response, 'response', trace) as HttpMessage;
    const upstreamStatus = response.status;
    let message: unknown = response;
    for (const rule of matchingErrorRules(table, endpoint, upstreamStatus)) {
      message = runSteps(rule.steps, message, `error ${rule.condition}`, trace);
    }
    return message as HttpMessage;
  } catch (error) {
    throw asTranslationError(error, 'response-not-translatable', endpoint.id);
  }
}

export function matchingErrorRules(table: CompiledTable, endpoint: CompiledEndpoint, status: number): CompiledErrorRule[] {
  return [...endpoint.errors, ...table.errors].filter((rule) => rule.matches(status));
}
