import type { Difference } from '../model/report.js';

/** Code-point order, independent of the machine's locale, so reports diff the same everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Step first (a flow reads top to bottom), then pointer. */
export function byDifferenceOrder(a: Difference, b: Difference): number {
  return (a.step ?? -1) - (b.step ?? -1) || compareText(a.pointer, b.pointer) || compareText(a.label, b.label);
}
