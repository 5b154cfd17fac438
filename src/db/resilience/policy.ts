import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  CircuitState,
  ExponentialBackoff,
  handleWhen,
  retry,
  wrap,
  type GeneratorFn,
  type IPolicy,
} from 'cockatiel';
import type { BreakerSettings, RetrySettings } from '../settings.js';
import { isOutageError, isTransientError } from './classify.js';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  at: number;
}

/** What the policies did so far; the suites read it. */
export interface ResilienceStats {
  attempts: number;
  retries: number;
  /** Delay before each retry, ms, in order. */
  delays: number[];
  breakerState: BreakerState;
  transitions: BreakerTransition[];
  rejectedByBreaker: number;
}

/**
 * Exponential backoff: delay n = RETRY_DELAY * RETRY_BACKOFF^n, capped; with jitter
 * on, a uniformly random value between half and all of it ("half jitter").
 */
export function makeBackoffGenerator(settings: RetrySettings, random: () => number = Math.random): GeneratorFn<number> {
  return (attempt = 0) => {
    const base = Math.min(settings.maxDelaySeconds, settings.delaySeconds * settings.backoff ** attempt) * 1000;
    const delay = settings.jitter ? base / 2 + random() * (base / 2) : base;
    return [delay, attempt + 1];
  };
}

/**
 * Retry with exponential backoff outside a circuit breaker. Only transient failures are retried, and
 * only outages (see classify.ts) are counted by the breaker.
 */
export class Resilience {
  private readonly policy: IPolicy;
  private readonly stats: ResilienceStats = {
    attempts: 0,
    retries: 0,
    delays: [],
    breakerState: 'closed',
    transitions: [],
    rejectedByBreaker: 0,
  };
  private readonly breaker;

  constructor(retrySettings: RetrySettings, breakerSettings: BreakerSettings, now: () => number = Date.now) {
    const retryPolicy = retry(handleWhen(isTransientError), {
      maxAttempts: retrySettings.maxRetries,
      backoff: new ExponentialBackoff({ generator: makeBackoffGenerator(retrySettings), initialDelay: 0 }),
    });
    this.breaker = circuitBreaker(handleWhen(isOutageError), {
      halfOpenAfter: breakerSettings.recoveryTimeoutSeconds * 1000,
      breaker: new ConsecutiveBreaker(breakerSettings.failureThreshold),
    });
    retryPolicy.onRetry((event) => {
      this.stats.retries++;
      this.stats.delays.push(event.delay);
    });
    this.breaker.onStateChange((state) => {
      const to = STATE_NAMES[state];
      this.stats.transitions.push({ from: this.stats.breakerState, to, at: now() });
      this.stats.breakerState = to;
    });
    this.policy = wrap(retryPolicy, this.breaker);
  }

  /** Runs `operation` (the whole unit of work, so a retried write repeats its whole transaction). */
  async execute<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => {
        this.stats.attempts++;
        return operation();
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) this.stats.rejectedByBreaker++;
      throw error;
    }
  }

  get breakerState(): BreakerState {
    return STATE_NAMES[this.breaker.state];
  }

  /** A copy of the counters so far. */
  snapshot(): ResilienceStats {
    return { ...this.stats, delays: [...this.stats.delays], transitions: [...this.stats.transitions] };
  }
}
