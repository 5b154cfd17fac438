import { raiseOnServer } from '../faults/server-faults.js';
import { toMetric } from '../harness/latency-metrics.js';
import { hrClock } from '../harness/latency-recorder.js';
import { poolChecks, scenarioMetrics, settlePool, timeOutcome, watchPool } from '../pooling/pool-load.js';
import { check, timingCheck, type ScenarioDefinition } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { openRetryOnlyLayer, retryMetrics, sharedLayerChecks } from './retry-helpers.js';

/** The delays of the default retry settings (0.1 s, x 2 per retry): 0.1, 0.2, 0.4, 0.8 s. */
const PLANNED_MS = [100, 200, 400, 800];
const OPERATIONS = 3;
/**
 * A timer may fire up to this much before its time by the high-resolution clock, ms: Node counts
 * a timeout from the event loop's cached time, which lags the real clock by however long the
 * current loop turn has run.
 */
const EARLY_MS = 5;
/** A measured delay may exceed the planned one by the larger of these. */
const LATE = { ms: 60, ratio: 0.25 };

/** One operation failing on the server PLANNED_MS.length times, then reading; when each failed and started. */
async function failThenSucceed(db: DataLayerUnderTest, userId: string) {
  const starts: number[] = [];
  const failedAt: number[] = [];
  const outcome = await timeOutcome(() =>
    db.read(async (s) => {
      starts.push(hrClock());
      if (starts.length > PLANNED_MS.length) return s.users.getById(userId);
      return raiseOnServer(s.em, '40001').finally(() => failedAt.push(hrClock()));
    }),
  );
  // The delay before retry n: from the end of the failed attempt n to the start of attempt n + 1.
  const gaps = failedAt.map((at, n) => (starts[n + 1] ?? NaN) - at);
  return { ok: outcome.error === undefined, attempts: starts.length, gaps };
}

const allowedLate = (planned: number) => Math.max(LATE.ms, planned * LATE.ratio);

/**
 * retry.exponential_backoff: 3 operations at once, each failing with a real serialization failure
 * (40001) on its first four attempts and then reading a user, on a data layer of its own with
 * MAX_RETRIES 4 and the configured delay and backoff (the breaker out of the way), so every delay
 * of the progression occurs. The gap from each failed attempt to the next is measured.
 * Criteria: every operation succeeds on its 5th attempt; every gap n is >= its planned delay
 * (0.1/0.2/0.4/0.8 s, less 5 ms for the event loop's cached clock) and at most max(60 ms, 25%)
 * later; the policy's recorded delays are exactly 100, 200, 400, 800 ms for each operation.
 */
export const exponentialBackoff: ScenarioDefinition = {
  id: 'retry.exponential_backoff',
  category: 'retry',
  params: { operations: OPERATIONS, plannedMs: PLANNED_MS.join(',') },
  async run(ctx) {
    const operations = ctx.scaled(OPERATIONS, 1);
    const db = await openRetryOnlyLayer(ctx, { maxRetries: PLANNED_MS.length });
    const users = Array.from({ length: operations }, () => ctx.random.pick(ctx.seed.live).id);
    const sampler = watchPool(db);
    const runs = await Promise.all(users.map((id) => failThenSucceed(db, id)));
    const end = await settlePool(db);
    const peaks = sampler.stop();
    const deviations = runs.flatMap((run) => PLANNED_MS.map((planned, n) => (run.gaps[n] ?? NaN) - planned));
    const offPlan = deviations.filter((d, i) => !(d >= -EARLY_MS && d <= allowedLate(PLANNED_MS[i % PLANNED_MS.length]!))).length;
    const recorded = db.resilience.snapshot().delays.sort((a, b) => a - b);
    const expected = PLANNED_MS.flatMap((ms) => Array<number>(operations).fill(ms));
    const worstMs = Math.max(...deviations.map(Math.abs));
    return {
      checks: [
        check('succeeded_on_fifth_attempt', runs.every((r) => r.ok && r.attempts === PLANNED_MS.length + 1), runs.map((r) => r.attempts).join(','), `${PLANNED_MS.length + 1} attempts each, success`),
        timingCheck('delays_follow_progression', offPlan === 0, runs.map((r) => r.gaps.map((g) => g.toFixed(1)).join('/')).join(' '), `${PLANNED_MS.join('/')} ms, each >= planned - ${EARLY_MS} ms and <= planned + max(${LATE.ms} ms, ${LATE.ratio * 100}%)`),
        check('policy_delays_exact', recorded.join(',') === expected.join(','), recorded.join(','), expected.join(',')),
        ...poolChecks(end, peaks),
        ...sharedLayerChecks(ctx),
      ],
      metrics: {
        ...scenarioMetrics(db, peaks),
        ...retryMetrics(db),
        backoff_error_ms: toMetric('backoff_error_ms', worstMs),
      },
      params: { operations },
    };
  },
};
