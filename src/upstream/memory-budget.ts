/**
 * One budget for all the body bytes the gateway holds in memory at once, across requests and
 * upstream answers. Each body reserves its bytes as they arrive; past the budget the exchange is
 * refused with 503 and Retry-After instead of growing the heap until the process is killed.
 */
export class MemoryBudget {
  private used = 0;

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Reserves `bytes`, or returns false (reserving nothing) when that would pass the budget. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** Large enough for dozens of bodies at the default 10 MiB limit, small beside a 512 MiB container. */
export const DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024;
