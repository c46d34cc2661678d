import { CompatError } from '../core/errors.js';
import type { CancelSignal } from './cancel-signal.js';

/**
 * At most `limit` exchanges with one upstream at a time, and at most `queueLimit` waiting for a
 * turn; beyond that a request is refused at once (503) rather than queued without bound, so a slow
 * v2 cannot make the gateway hold every client's request in memory.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly queueLimit: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free; throws 503 when the queue is full. */
  acquire(signal?: CancelSignal): Promise<() => void> | (() => void) {
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    if (this.waiting.length >= this.queueLimit) {
      throw new CompatError('upstream-overloaded', `the upstream service already has ${this.limit} requests in flight and ${this.queueLimit} waiting; retry shortly`);
    }
    return new Promise((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve(this.releaser());
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(turn);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(turn);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}
