/**
 * What the retry scenarios share: data layers of their own (so the gate's data layer is never
 * tripped), a short sleep, the checks that the gate's own data layer was left untouched, and the
 * resilience counters as metrics.
 */
import type { Check, Metric } from '../../results/types.js';
import { toMetric } from '../harness/latency-metrics.js';
import { check, type ScenarioContext } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';

/**
 * A failure threshold no scenario reaches: scenarios that measure the retry policy alone
 * (injected failures at 30%, or four in a row) would otherwise trip the breaker in between,
 * which retry.circuit_breaker and retry.retry_storm measure with the configured threshold (5 by default).
 */
const UNREACHABLE_THRESHOLD = 1_000_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** A data layer of its own with the configured retry policy and the breaker kept out of the way. */
export function openRetryOnlyLayer(ctx: ScenarioContext, retry: { maxRetries?: number } = {}): Promise<DataLayerUnderTest> {
  return ctx.openDataLayer({
    retry,
    breaker: { failureThreshold: UNREACHABLE_THRESHOLD, recoveryTimeoutSeconds: ctx.options.breakerRecoverySeconds },
  });
}

/** The gate's own data layer kept its breaker closed and has no session left open. */
export function sharedLayerChecks(ctx: ScenarioContext): Check[] {
  const state = ctx.db.resilience.breakerState;
  const open = ctx.db.sessions.snapshot().open;
  return [
    check('shared_breaker_closed', state === 'closed', state, 'closed'),
    check('shared_sessions_closed', open === 0, open, '0'),
  ];
}

/** Retries made by `db`'s policy. */
export function retryMetrics(db: DataLayerUnderTest): Record<string, Metric> {
  return { retries: toMetric('retries', db.resilience.snapshot().retries) };
}
