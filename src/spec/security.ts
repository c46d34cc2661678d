import type { SpecOperation } from './model.js';

/**
 * OpenAPI security: an operation is allowed when one alternative is satisfied in full. A v1
 * client holding the credentials of one v1 alternative still gets in if some v2 alternative asks
 * for nothing more. Schemes are compared by name; scopes as `scheme:scope`.
 */
export function schemesOf(alternative: string[]): Set<string> {
  return new Set(alternative.map((entry) => entry.split(':', 1)[0]!));
}

export function satisfiedBy(held: string[], required: string[]): boolean {
  return required.every((entry) => held.includes(entry) || (!entry.includes(':') && schemesOf(held).has(entry)));
}

export function isOpen(operation: SpecOperation): boolean {
  return operation.security.length === 0 || operation.security.some((alternative) => alternative.length === 0);
}
