import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/*
 * How busy the machine was with work that is not the benchmark's. On a shared machine another
 * process's build can double a proxy's CPU time per request; the bench cannot stop that, but it
 * can say when it happened, so a reader knows how far to trust a row.
 */

const TICKS_PER_SECOND = 100;

/** CPU seconds every process on the machine has spent so far (Linux /proc/stat), or undefined elsewhere. */
export function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...: all but idle and iowait are work.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * The share of the machine (0..1 of all CPUs) others used over a window, from the machine's busy
 * time and the benchmark's own processes' CPU time over the same window.
 */
export function backgroundShare(machineBusy: number | undefined, ownCpuSeconds: number, wallSeconds: number): number | undefined {
  if (machineBusy === undefined || wallSeconds <= 0) return undefined;
  return Math.max(0, machineBusy - ownCpuSeconds) / (wallSeconds * availableParallelism());
}
