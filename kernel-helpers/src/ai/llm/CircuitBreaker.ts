// A circuit breaker: after `failureThreshold` consecutive failures it opens and refuses calls for
// `cooldownMs`; then it lets one trial call through (half-open): success closes it, failure
// opens it again. Legal transitions are listed in TRANSITIONS.

export type BreakerState = 'closed' | 'open' | 'half_open';

const TRANSITIONS: Readonly<Record<BreakerState, readonly BreakerState[]>> = {
  closed: ['open'],
  open: ['half_open'],
  half_open: ['closed', 'open'],
};

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long it stays open, in ms (default 30,000). */
  cooldownMs?: number;
  /** The clock (tests move it by hand). */
  now?: () => number;
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

export type BreakerPermit = { allowed: true } | { allowed: false; retryInMs: number };

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onStateChange: ((from: BreakerState, to: BreakerState) => void) | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1)
      throw new RangeError('failureThreshold must be a positive integer');
    if (!(this.cooldownMs >= 0)) throw new RangeError('cooldownMs must be zero or more');
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
  }

  /** The state now (an open breaker whose cool-down has passed reads as half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.moveTo('half_open');
    return this.current;
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Asks to make a call. Closed: yes. Open: no, with the time left. Half-open: yes for one
   * trial call at a time. Every allowed call must end in recordSuccess or recordFailure.
   */
  acquire(): BreakerPermit {
    const state = this.state;
    if (state === 'closed') return { allowed: true };
    if (state === 'open')
      return { allowed: false, retryInMs: Math.max(0, this.openedAt + this.cooldownMs - this.now()) };
    if (this.trialInFlight) return { allowed: false, retryInMs: 0 };
    this.trialInFlight = true;
    return { allowed: true };
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.current === 'half_open') this.moveTo('closed');
  }

  recordFailure(): void {
    this.failures++;
    this.trialInFlight = false;
    if (
      this.current === 'half_open' ||
      (this.current === 'closed' && this.failures >= this.failureThreshold)
    ) {
      this.openedAt = this.now();
      this.moveTo('open');
    }
  }

  /** Ends a call that says nothing about the service's health (e.g. the caller cancelled it). */
  recordNeutral(): void {
    this.trialInFlight = false;
  }

  private moveTo(next: BreakerState): void {
    const from = this.current;
    if (!TRANSITIONS[from].includes(next))
      throw new Error(`circuit breaker: illegal transition ${from} → ${next}`);
    this.current = next;
    this.onStateChange?.(from, next);
  }
}
