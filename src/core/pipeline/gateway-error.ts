import type { CompatError } from '../errors.js';
import type { CompiledEndpoint, CompiledTable } from '../mapping/compiled.js';
import { newContext, type RequestView } from '../model/exchange-context.js';
import { emptyMessage, type HttpMessage } from '../model/http-message.js';
import { PROBLEM_CONTENT_TYPE, problemFromError } from '../problem.js';
import { applyErrorRules } from './response.js';

/**
 * The gateway's own failure as the message a v1 client receives. By default an RFC 9457 problem
 * document. With `gatewayErrors: v1` in the mapping, the problem goes through the same error
 * rules as a v2 error answer (the endpoint's first, then the mapping-wide ones), so a v1 client
 * sees v1's error shape for a malformed body or an unreachable upstream too; rules can tell the
 * cases apart by `body.code`, the problem's stable code.
 */
export function gatewayErrorMessage(table: CompiledTable, endpoint: CompiledEndpoint | undefined, error: CompatError, request: RequestView | undefined): HttpMessage {
  const { status, body } = problemFromError(error);
  const problem = emptyMessage({ status, headers: { ...error.headers, 'content-type': PROBLEM_CONTENT_TYPE }, body });
  if (table.gatewayErrors !== 'v1') return problem;
  const rules = [...(endpoint?.errors ?? []), ...table.errors];
  const context = request ? newContext(endpoint?.id ?? '', request) : undefined;
  try {
    return applyErrorRules(rules, problem, undefined, context);
  } catch {
    // A rule that cannot render this problem must not hide it: the client gets the problem itself.
    return emptyMessage({ status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body });
  }
}
