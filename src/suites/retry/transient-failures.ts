import { raiseOnServer } from '../faults/server-faults.js';
import { toMetric } from '../harness/latency-metrics.js';
import type { LoadContext } from '../harness/load-runner.js';
import type { Random } from '../harness/random.js';
import { poolChecks, runPoolLoad, scenarioMetrics, settlePool } from '../pooling/pool-load.js';
import { check, type ScenarioDefinition } from '../scenario.js';
import type { DataLayerUnderTest, Session } from '../subject.js';
import { openRetryOnlyLayer, retryMetrics, sharedLayerChecks } from './retry-helpers.js';

export const OPERATIONS = 200;
const CONCURRENCY = 20;
export const MAX_ERROR_RATE = 0.05;
/** How far the injected failure rate may drift from the configured one before the run is suspect. */
export const RATE_TOLERANCE = 0.1;
/** Real transient SQLSTATEs: serialization failure, and the server terminating the backend. */
const SQLSTATES = ['40001', '57P01'] as const;

/** One operation's fate per attempt (a SQLSTATE to fail with, or null), its user, and what happened. */
interface PlannedOperation {
  failures: Array<string | null>;
  userId: string;
  attempts: number;
  injected: number;
}

/** Drawn up front in operation order, so the seed fixes every outcome whatever the interleaving. */
function drawPlan(random: Random, live: ReadonlyArray<{ id: string }>, count: number, attempts: number, rate: number): PlannedOperation[] {
  return Array.from({ length: count }, () => ({
    failures: Array.from({ length: attempts }, () => (random.chance(rate) ? random.pick(SQLSTATES) : null)),
    userId: random.pick(live).id,
    attempts: 0,
    injected: 0,
  }));
}

/** One attempt: fails on the server when planned, else reads the user. */
async function attempt(s: Session, op: PlannedOperation): Promise<void> {
  const sqlstate = op.failures[op.attempts++] ?? null;
  if (sqlstate !== null) {
    op.injected++;
    await raiseOnServer(s.em, sqlstate);
  }
  const user = await s.users.getById(op.userId);
  if (user.id !== op.userId) throw new Error(`getById('${op.userId}') returned user '${user.id}'`);
}

function rates(plan: PlannedOperation[], failed: number) {
  const attempts = plan.reduce((sum, op) => sum + op.attempts, 0);
  const injected = plan.reduce((sum, op) => sum + op.injected, 0);
  const hit = plan.filter((op) => op.injected > 0).length;
  return { attempts, injected, failureRate: injected / Math.max(1, attempts), recoveryRate: hit === 0 ? 1 : (hit - failed) / hit };
}

/**
 * retry.transient_failures: 200 getById reads (20 at a time) through `db.read`, each attempt
 * failing on the server with a real transient SQLSTATE (40001 or 57P01) with the configured
 * probability (0.3), decided by the seeded random source. The data layer is its own, with the
 * configured retry policy (3 retries, 0.1 s x 2) and the breaker out of the way (at 30% a run of
 * five failures is likely; retry.circuit_breaker tests that).
 * Criteria: injected rate near the configured one, recovery rate (operations that succeeded after
 * a failure / operations that saw one) > failure rate (failures / attempts), final error rate
 * < 5% (0.3^4 = 0.8% expected), every failure but the last of a failed operation retried, pool
 * back to 0 in use.
 */
export const transientFailures: ScenarioDefinition = {
  id: 'retry.transient_failures',
  category: 'retry',
  params: { operations: OPERATIONS, concurrency: CONCURRENCY },
  async run(ctx) {
    const rate = ctx.options.transientFailureRate;
    const db: DataLayerUnderTest = await openRetryOnlyLayer(ctx);
    const iterations = Math.ceil(ctx.scaled(OPERATIONS, 100) / CONCURRENCY);
    const plan = drawPlan(ctx.random, ctx.seed.live, CONCURRENCY * iterations, db.settings.retry.maxRetries + 1, rate);
    const operation = ({ worker, iteration }: LoadContext) => {
      const op = plan[worker * iterations + iteration]!;
      return db.read((s) => attempt(s, op));
    };
    const load = await runPoolLoad(db, { concurrency: CONCURRENCY, iterations, operation });
    const end = await settlePool(db);
    const failed = load.metrics.failed.value;
    const { attempts, injected, failureRate, recoveryRate } = rates(plan, failed);
    const retries = db.resilience.snapshot().retries;
    return {
      checks: [
        check('failures_injected_at_configured_rate', Math.abs(failureRate - rate) <= RATE_TOLERANCE, failureRate, `${rate} ± ${RATE_TOLERANCE}`),
        check('recovery_rate_above_failure_rate', recoveryRate > failureRate, recoveryRate, `> ${failureRate.toFixed(3)} (failure rate)`),
        check('error_rate_below_5_percent', load.metrics.error_rate.value < MAX_ERROR_RATE, load.metrics.error_rate.value, `< ${MAX_ERROR_RATE}`),
        check('failures_retried', retries === injected - failed, `${retries} retries, ${injected} failures, ${failed} final`, 'retries = failures - final failures'),
        ...poolChecks(end, load.peaks),
        ...sharedLayerChecks(ctx),
      ],
      metrics: {
        ...scenarioMetrics(db, load.peaks, load),
        ...retryMetrics(db),
        failure_rate: toMetric('failure_rate', failureRate),
        recovery_rate: toMetric('recovery_rate', recoveryRate),
      },
      samples: load.samples,
      params: { operations: plan.length, concurrency: CONCURRENCY, failureRate: rate, attempts, injected },
    };
  },
};
