import { diffJson } from './diff-json.js';
import { toPointer } from './path-pattern.js';
import type { ComparedView } from './view.js';

/** A step whose v1 answers changed status between runs of the same request. */
export interface Unrepeatable {
  step: number;
  /** The status v1 answered first, and the different one it answered later. */
  first: number;
  then: number;
}

/**
 * Noise learning in the manner of Diffy (https://github.com/opentable/diffy), without a third
 * deployment: v1 answers the same request twice (and once per repeat), and every place where
 * two v1 answers disagree differs by itself (timestamps, generated ids, random order). A
 * difference through the gateway at such a place, or below it, is noise.
 *
 * That holds only while both answers come from the same state. Two answers with different
 * statuses (204, then 404 for a DELETE repeated without a reset) answer different states, not
 * the same request twice: nothing is learnt from them, the step is recorded as unrepeatable,
 * and the status itself is never noise.
 */
export class NoiseModel {
  private readonly noisy = new Map<number, Set<string>>();
  private readonly firstStatus = new Map<number, number>();
  private readonly changed = new Map<number, Unrepeatable>();

  /** Records where two v1 answers to the same step disagree, when they answered the same state. */
  learn(step: number, reference: ComparedView, other: ComparedView): void {
    this.observe(step, reference.status);
    this.observe(step, other.status);
    if (reference.status !== other.status) return;
    const places = this.noisy.get(step) ?? new Set<string>();
    for (const difference of diffJson(reference, other)) {
      if (difference.segments[0] !== 'status') places.add(toPointer(difference.segments));
    }
    this.noisy.set(step, places);
  }

  /** A v1 answer that teaches no noise (a warm-up run): its status must still be the one v1 gave first. */
  observe(step: number, status: number): void {
    const first = this.firstStatus.get(step);
    if (first === undefined) this.firstStatus.set(step, status);
    else if (first !== status && !this.changed.has(step)) this.changed.set(step, { step, first, then: status });
  }

  isNoise(step: number, segments: readonly string[]): boolean {
    if (segments[0] === 'status') return false;
    const places = this.noisy.get(step);
    if (!places) return false;
    for (let depth = segments.length; depth >= 1; depth--) if (places.has(toPointer(segments.slice(0, depth)))) return true;
    return false;
  }

  places(step: number): string[] {
    return [...(this.noisy.get(step) ?? [])].sort();
  }

  /** Steps v1 answered with a different status when the same request was sent again, in step order. */
  unrepeatable(): Unrepeatable[] {
    return [...this.changed.values()].sort((a, b) => a.step - b.step);
  }
}
