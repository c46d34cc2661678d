import { CompatError } from '../core/errors.js';

/**
 * An optional circuit breaker for one upstream (Nygard, "Release It!", and the pattern as
 * Envoy's outlier detection and resilience4j apply it): after `failures` consecutive failures
 * within `windowMs`, the circuit opens and every request is answered at once with 503
 * `upstream-unavailable` and a Retry-After, instead of each waiting for its own connect error or
 * timeout. After `cooldownMs` one request is let through as a probe (half-open): its success
 * closes the circuit, its failure opens it for another cool-down.
 *
 * A failure is an upstream that could not be reached or did not answer in time, and with
 * `countServerErrors` also a 5xx answer. A client that leaves, or a request the gateway refuses
 * itself, says nothing about the upstream.
 */

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** Failures count as consecutive only while each follows the first within this many ms. */
  windowMs: number;
  /** How long the circuit stays open before one probe is let through, ms. */
  cooldownMs: number;
  /** Count 5xx answers as failures too (off: only unreachable and timed-out exchanges). */
  countServerErrors: boolean;
  /** For tests: the clock, in ms. */
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What one exchange said about the upstream. */
export type ExchangeOutcome = 'success' | 'failure' | 'neutral';

export const DEFAULT_CIRCUIT_WINDOW_MS = 10_000;
export const DEFAULT_CIRCUIT_COOLDOWN_MS = 5_000;

const FAILURE_CODES = new Set(['upstream-unreachable', 'upstream-timeout']);
/** Problems that mean the upstream did answer (only its answer was unusable). */
const ANSWERED_CODES = new Set(['response-not-translatable', 'response-body-too-large', 'response-body-too-complex']);

export class CircuitBreaker {
  private consecutive = 0;
  private firstFailureAt = 0;
  private openedAt = 0;
  private current: CircuitState = 'closed';
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** `half-open` once the cool-down is over, even before the probe is sent. */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) return 'half-open';
    return this.current;
  }

  /**
   * Lets an exchange through, or throws 503 `upstream-unavailable` while the circuit is open
   * (and while a half-open probe is out). Returns whether this exchange is the probe.
   */
  admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && !this.probing) {
      this.current = 'half-open';
      this.probing = true;
      return true;
    }
    // While the probe is out, its answer decides soon.
    const waitMs = this.current === 'open' ? this.options.cooldownMs - (this.now() - this.openedAt) : 1_000;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    // RFC 9110 section 10.2.3: Retry-After in seconds.
    throw new CompatError('upstream-unavailable', `the upstream service failed ${this.options.failures} times in a row, so the gateway does not call it for a while; retry after ${seconds} s`, {}, { headers: { 'retry-after': String(seconds) } });
  }

  record(outcome: ExchangeOutcome, probe: boolean): void {
    if (outcome === 'neutral') {
      if (probe) this.probing = false;
      return;
    }
    if (outcome === 'success') {
      this.consecutive = 0;
      if (probe || this.current === 'half-open') this.close();
      return;
    }
    if (probe) {
      this.open();
      return;
    }
    // Exchanges let in before the circuit opened end later: they do not extend the cool-down.
    if (this.current !== 'closed') return;
    const now = this.now();
    if (this.consecutive === 0 || now - this.firstFailureAt > this.options.windowMs) {
      this.consecutive = 1;
      this.firstFailureAt = now;
    } else this.consecutive++;
    if (this.consecutive >= this.options.failures) this.open();
  }

  /** How an exchange's answer status counts. */
  outcomeOfStatus(status: number): ExchangeOutcome {
    return status >= 500 && this.options.countServerErrors ? 'failure' : 'success';
  }

  /** How an exchange that ended in an error counts. */
  outcomeOfError(error: unknown): ExchangeOutcome {
    if (!(error instanceof CompatError)) return 'neutral';
    if (FAILURE_CODES.has(error.code)) return 'failure';
    return ANSWERED_CODES.has(error.code) ? 'success' : 'neutral';
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.probing = false;
    this.consecutive = 0;
  }

  private close(): void {
    this.current = 'closed';
    this.probing = false;
    this.consecutive = 0;
  }
}
