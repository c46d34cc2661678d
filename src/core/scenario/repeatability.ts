import type { CompiledScenario } from '../model/scenario.js';

/** Methods whose requests do not change the server's state (RFC 9110, section 9.2.1). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * A scenario that may change state and has nothing to restore it: no `reset: true`, and some
 * step with a method that is not safe (a create, an update, a delete). Every run of it leaves v1
 * and v2 somewhat further along than the one before, so the checker must give both sides the
 * same runs: each call on one side is matched by one on the other.
 */
export function changesStateUnrestored(scenario: CompiledScenario): boolean {
  return !scenario.reset && scenario.steps.some((step) => !SAFE_METHODS.has(step.request.method));
}
