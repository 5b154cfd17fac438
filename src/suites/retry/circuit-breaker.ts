import { BrokenCircuitError } from 'cockatiel';
import { isTransientError } from '../../db/resilience/classify.js';
import type { BreakerTransition } from '../../db/resilience/policy.js';
import type { Check } from '../../results/types.js';
import type { FaultProxy } from '../harness/fault-proxy.js';
import { toMetric } from '../harness/latency-metrics.js';
import { poolChecks, scenarioMetrics, settlePool, timeOutcome, watchPool, type TimedOutcome } from '../pooling/pool-load.js';
import { check, timingCheck, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { retryMetrics, sharedLayerChecks, sleep } from './retry-helpers.js';

/** Calls made while the breaker is open; each must be rejected at once. */
const OPEN_CALLS = 10;
/** A rejection by an open breaker returns within this, ms (no connect, no query). */
const FAST_MS = 50;
/** Calls launched together once the recovery timeout passed: only one may reach the network. */
const HALF_OPEN_CALLS = 3;
/** Margin past the recovery timeout before calling again, ms. */
const PAST_RECOVERY_MS = 30;
const EXPECTED_TRANSITIONS = ['open', 'half-open', 'open', 'half-open', 'closed'];

const probe = (db: DataLayerUnderTest) => () => db.read((s) => s.em.execute('select 1 as one'));
const isRejection = (o: TimedOutcome) => o.error instanceof BrokenCircuitError;

/** Calls until the breaker opens (at most threshold + 2 calls); returns the call that opened it. */
async function tripBreaker(db: DataLayerUnderTest, threshold: number) {
  const failures: TimedOutcome[] = [];
  for (let call = 1; call <= threshold + 2; call++) {
    failures.push(await timeOutcome(probe(db)));
    if (db.resilience.breakerState === 'open') return { openedAt: call, failures };
  }
  return { openedAt: -1, failures };
}

/** Calls while open (the last at half the recovery timeout); how they ended and attempts made. */
async function callWhileOpen(db: DataLayerUnderTest, recoveryMs: number) {
  const attemptsBefore = db.resilience.snapshot().attempts;
  const outcomes: TimedOutcome[] = [];
  for (let call = 1; call < OPEN_CALLS; call++) outcomes.push(await timeOutcome(probe(db)));
  await sleep(recoveryMs / 2);
  outcomes.push(await timeOutcome(probe(db)));
  const rejected = outcomes.filter(isRejection).length;
  return { rejected, slowestMs: Math.max(...outcomes.map((o) => o.ms)), attempts: db.resilience.snapshot().attempts - attemptsBefore };
}

/** After the recovery timeout, concurrent calls: how many attempts reached the network. */
async function probeHalfOpen(db: DataLayerUnderTest, since: number, recoveryMs: number) {
  await sleep(since + recoveryMs + PAST_RECOVERY_MS - Date.now());
  const before = db.resilience.snapshot().attempts;
  const outcomes = await Promise.all(Array.from({ length: HALF_OPEN_CALLS }, () => timeOutcome(probe(db))));
  return { attempts: db.resilience.snapshot().attempts - before, outcomes };
}

function lastAt(transitions: BreakerTransition[], to: string): number {
  return transitions.filter((t) => t.to === to).at(-1)?.at ?? NaN;
}

async function openBreakerLayer(ctx: ScenarioContext) {
  const proxy = await ctx.startProxy();
  const db = await ctx.openDataLayer(
    { pool: { size: 1, maxOverflow: 0, timeoutSeconds: 2 }, retry: { maxRetries: 0 }, breaker: { recoveryTimeoutSeconds: ctx.options.breakerRecoverySeconds } },
    proxy.url(ctx.settings.url),
  );
  return { proxy, db };
}

/**
 * Drives the breaker through its states: refuse (and reset) until it opens, call while open,
 * probe in half-open while still refusing (it reopens), heal, probe again (it closes).
 */
async function exerciseBreaker(db: DataLayerUnderTest, proxy: FaultProxy, recoveryMs: number) {
  await probe(db)();
  await proxy.setMode({ kind: 'refuse' });
  proxy.resetAll();
  const trip = await tripBreaker(db, db.settings.breaker.failureThreshold);
  const open = await callWhileOpen(db, recoveryMs);
  const halfOpen = await probeHalfOpen(db, lastAt(db.resilience.snapshot().transitions, 'open'), recoveryMs);
  const reopenedAt = lastAt(db.resilience.snapshot().transitions, 'open');
  await proxy.setMode({ kind: 'pass' });
  const healedAt = Date.now();
  const healed = await probeHalfOpen(db, reopenedAt, recoveryMs);
  const after = await Promise.all(Array.from({ length: 5 }, () => timeOutcome(probe(db))));
  const { transitions } = db.resilience.snapshot();
  return {
    trip,
    open,
    halfOpen,
    afterRecovery: [...healed.outcomes, ...after],
    states: transitions.map((t) => t.to).join(','),
    openMs: lastAt(transitions, 'half-open') - reopenedAt,
    recoveredMs: lastAt(transitions, 'closed') - healedAt,
  };
}

function breakerChecks(seen: Awaited<ReturnType<typeof exerciseBreaker>>, threshold: number): Check[] {
  const { trip, open, halfOpen, afterRecovery } = seen;
  const connectionErrors = trip.failures.filter((o) => isTransientError(o.error) && !isRejection(o)).length;
  const expectedStates = EXPECTED_TRANSITIONS.join(',');
  return [
    check('opens_at_threshold', trip.openedAt === threshold, trip.openedAt, `${threshold} (failure threshold)`),
    check('failures_are_connection_errors', connectionErrors === trip.failures.length, `${connectionErrors} of ${trip.failures.length}`, 'all transient, none rejected'),
    check('open_rejects_every_call', open.rejected === OPEN_CALLS, `${open.rejected} of ${OPEN_CALLS}`, `${OPEN_CALLS} of ${OPEN_CALLS}, the last at half the recovery timeout`),
    timingCheck('open_rejects_fast', open.slowestMs < FAST_MS, open.slowestMs, `< ${FAST_MS} ms`),
    check('open_makes_no_attempt', open.attempts === 0, open.attempts, '0 attempts'),
    check('half_open_single_probe', halfOpen.attempts === 1, halfOpen.attempts, `1 attempt of ${HALF_OPEN_CALLS} concurrent calls`),
    check('transitions', seen.states === expectedStates, seen.states, expectedStates),
    check('reads_succeed_after_recovery', afterRecovery.every((o) => o.error === undefined), afterRecovery.filter((o) => o.error === undefined).length, `${afterRecovery.length} of ${afterRecovery.length}`),
  ];
}

/**
 * retry.circuit_breaker: a data layer of its own through the fault proxy, no retries, the
 * configured failure threshold (default 5) and the gate's short recovery timeout. The proxy refuses
 * connections (and resets the open one): calls fail until the breaker opens; calls while open are
 * rejected; after the recovery timeout one half-open probe goes through (and fails: the breaker
 * opens again); with the proxy back to pass, the next probe succeeds and the breaker closes.
 * Criteria: opens exactly at the threshold-th consecutive failure, those failures are transient
 * connection errors; while open, every call rejected within 50 ms without an attempt, even at
 * half the recovery timeout; in half-open exactly one attempt of 3 concurrent calls; transitions
 * open, half-open, open, half-open, closed; reads succeed after; pool back to 0 in use.
 */
export const circuitBreaker: ScenarioDefinition = {
  id: 'retry.circuit_breaker',
  category: 'retry',
  params: { openCalls: OPEN_CALLS, halfOpenCalls: HALF_OPEN_CALLS },
  async run(ctx) {
    const { proxy, db } = await openBreakerLayer(ctx);
    const sampler = watchPool(db);
    const seen = await exerciseBreaker(db, proxy, ctx.options.breakerRecoverySeconds * 1000);
    const end = await settlePool(db);
    const peaks = sampler.stop();
    return {
      checks: [...breakerChecks(seen, db.settings.breaker.failureThreshold), ...poolChecks(end, peaks), ...sharedLayerChecks(ctx)],
      metrics: {
        ...scenarioMetrics(db, peaks),
        ...retryMetrics(db),
        breaker_open_ms: toMetric('breaker_open_ms', seen.openMs),
        recovery_ms: toMetric('recovery_ms', seen.recoveredMs),
      },
      params: { failureThreshold: db.settings.breaker.failureThreshold, recoveryMs: ctx.options.breakerRecoverySeconds * 1000 },
    };
  },
};
