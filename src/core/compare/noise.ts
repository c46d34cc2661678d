import { diffJson } from './diff-json.js';
import { toPointer } from './path-pattern.js';
import type { ComparedView } from './view.js';

/**
 * Noise learning in the manner of Diffy (https://github.com/opentable/diffy), without a third
 * deployment: v1 answers the same request twice (and once per repeat), and every place where
 * two v1 answers disagree differs by itself (timestamps, generated ids, random order). A
 * difference through the gateway at such a place, or below it, is noise.
 */
export class NoiseModel {
  private readonly noisy = new Map<number, Set<string>>();

  /** Records where two v1 answers to the same step disagree. */
  learn(step: number, reference: ComparedView, other: ComparedView): void {
    const places = this.noisy.get(step) ?? new Set<string>();
    for (const difference of diffJson(reference, other)) places.add(toPointer(difference.segments));
    this.noisy.set(step, places);
  }

  isNoise(step: number, segments: readonly string[]): boolean {
    const places = this.noisy.get(step);
    if (!places) return false;
    for (let depth = segments.length; depth >= 1; depth--) if (places.has(toPointer(segments.slice(0, depth)))) return true;
    return false;
  }

  places(step: number): string[] {
    return [...(this.noisy.get(step) ?? [])].sort();
  }
}
