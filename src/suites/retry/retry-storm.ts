import { BrokenCircuitError } from 'cockatiel';
import type { DataLayerUnderTest, Session } from '../subject.js';
import { isTransientError } from '../../db/resilience/classify.js';
import { raiseOnServer } from '../faults/server-faults.js';
import { hrClock, LatencyRecorder } from '../harness/latency-recorder.js';
import { toMetric } from '../harness/latency-metrics.js';
import {
  allSucceeded,
  maxPeaks,
  poolChecks,
  readRandomUser,
  runPoolLoad,
  scenarioMetrics,
  settlePool,
  watchPool,
} from '../pooling/pool-load.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { retryMetrics, sharedLayerChecks, sleep } from './retry-helpers.js';

const WORKERS = 50;
const ITERATIONS = 4;
/** Every attempt fails on the server for this long after the start; then the database heals. */
const STORM_MS = 300;
/** The SQLSTATE of the storm: the server terminating backends (admin shutdown). */
const STORM_SQLSTATE = '57P01';
/** Once healed, the first success comes within the breaker's recovery timeout plus this, ms. */
const RECOVERY_SLACK_MS = 250;
const READS_AFTER = 20;

/** What happened to one operation of the storm. */
interface StormOperation {
  /** When it started (Date.now, the clock of the breaker's transitions). */
  startedAt: number;
  /** When it ended (hrClock ms). */
  endedAt: number;
  /** Attempts that ran after the database healed. */
  attemptsAfterHeal: number;
  ok: boolean;
  error?: unknown;
}

/** Clean: the storm's own transient error (retries exhausted) or a rejection by the open breaker. */
function isCleanError(error: unknown): boolean {
  return error instanceof BrokenCircuitError || (isTransientError(error) && (error as { code?: unknown }).code === STORM_SQLSTATE);
}

/**
 * When each worker starts its operations, ms after the start: all workers at once at 0 (the
 * storm), the rest at seeded random times over 2 x (storm + recovery), so calls keep arriving
 * while the breaker is open and after it closes.
 */
function drawSchedule(ctx: ScenarioContext, workers: number): number[][] {
  const spanMs = 2 * (STORM_MS + ctx.options.breakerRecoverySeconds * 1000);
  return Array.from({ length: workers }, () => [
    0,
    ...Array.from({ length: ITERATIONS - 1 }, () => ctx.random.next() * spanMs).sort((a, b) => a - b),
  ]);
}

/** One operation: a read whose attempts fail on the server until `healAt`. */
async function stormOperation(db: DataLayerUnderTest, userId: string, healAt: number, log: StormOperation[]): Promise<void> {
  const op: StormOperation = { startedAt: Date.now(), endedAt: NaN, attemptsAfterHeal: 0, ok: false };
  log.push(op);
  const attempt = async (s: Session) => {
    if (hrClock() < healAt) return raiseOnServer(s.em, STORM_SQLSTATE);
    op.attemptsAfterHeal++;
    return s.users.getById(userId);
  };
  try {
    await db.read(attempt);
    op.ok = true;
  } catch (error) {
    op.error = error;
    throw error;
  } finally {
    op.endedAt = hrClock();
  }
}

/** Runs the storm: every worker through its schedule, timed, with the pool sampled. */
async function runStorm(ctx: ScenarioContext, db: DataLayerUnderTest, workers: number) {
  const schedule = drawSchedule(ctx, workers);
  const users = schedule.map((times) => times.map(() => ctx.random.pick(ctx.seed.live).id));
  const recorder = new LatencyRecorder();
  const sampler = watchPool(db);
  const log: StormOperation[] = [];
  const start = hrClock();
  const healAt = start + STORM_MS;
  const healedAt = Date.now() + STORM_MS;
  await Promise.all(
    schedule.map(async (times, worker) => {
      for (const [i, at] of times.entries()) {
        await sleep(start + at - hrClock());
        await recorder.measure(() => stormOperation(db, users[worker]![i]!, healAt, log));
      }
    }),
  );
  return { recorder, log, healAt, healedAt, peaks: sampler.stop() };
}

/** How the storm went, from its log and the breaker's last closing. */
function judge(log: StormOperation[], healAt: number, closedAt: number) {
  const successes = log.filter((op) => op.ok);
  return {
    ended: successes.length + log.filter((op) => op.error !== undefined).length,
    unclean: log.filter((op) => op.error !== undefined && !isCleanError(op.error)).length,
    afterHeal: log.filter((op) => op.attemptsAfterHeal > 0),
    afterClose: log.filter((op) => op.startedAt >= closedAt),
    recoveryMs: Math.min(...successes.map((op) => op.endedAt)) - healAt,
  };
}

const tally = (ops: StormOperation[]) => `${ops.filter((op) => op.ok).length} of ${ops.length}`;

/**
 * retry.retry_storm: 50 workers (scaled) x 4 operations on a data layer of its own with the
 * configured retry policy and breaker (threshold 5, the gate's short recovery timeout). Every
 * worker fires its first operation at once, and for the first 300 ms every attempt fails on the
 * server (57P01); then the database heals. The other operations arrive at seeded random times
 * over 2 x (storm + recovery).
 * Criteria: every operation ends, in success or a clean error (the storm's transient error or a
 * breaker rejection), none other; every operation with an attempt after healing succeeded, and
 * every one started once healed and the breaker closed again (eventual consistency); a success
 * within the recovery timeout + 250 ms of healing; 20 reads succeed after; the breaker ends
 * closed; the pool never over its max and back to 0 in use.
 */
export const retryStorm: ScenarioDefinition = {
  id: 'retry.retry_storm',
  category: 'retry',
  params: { workers: WORKERS, iterations: ITERATIONS, stormMs: STORM_MS },
  async run(ctx) {
    const workers = ctx.scaled(WORKERS, 10);
    const total = workers * ITERATIONS;
    const recoveryLimitMs = ctx.options.breakerRecoverySeconds * 1000 + RECOVERY_SLACK_MS;
    const db = await ctx.openDataLayer({ breaker: { recoveryTimeoutSeconds: ctx.options.breakerRecoverySeconds } });
    const storm = await runStorm(ctx, db, workers);
    const after = await runPoolLoad(db, { concurrency: 5, iterations: READS_AFTER / 5, operation: readRandomUser(ctx, db) });
    const end = await settlePool(db);
    const { transitions } = db.resilience.snapshot();
    // Healthy again once the database healed and, if the breaker opened, it closed again.
    const closedAt = Math.max(storm.healedAt, transitions.filter((t) => t.to === 'closed').at(-1)?.at ?? 0);
    const { ended, unclean, afterHeal, afterClose, recoveryMs } = judge(storm.log, storm.healAt, closedAt);
    const state = db.resilience.breakerState;
    const peaks = maxPeaks(storm.peaks, after.peaks);
    return {
      checks: [
        check('every_operation_ended', ended === total, ended, `${total}`),
        check('errors_clean', unclean === 0, unclean, "0 errors other than the storm's or the breaker's"),
        check('attempts_after_heal_succeed', afterHeal.every((op) => op.ok), tally(afterHeal), 'all'),
        check('operations_after_close_succeed', afterClose.length > 0 && afterClose.every((op) => op.ok), tally(afterClose), 'all, at least one'),
        check('recovered_after_heal', recoveryMs <= recoveryLimitMs, Number.isFinite(recoveryMs) ? recoveryMs : 'never', `<= ${recoveryLimitMs} ms`),
        allSucceeded(after, READS_AFTER),
        check('breaker_closed_at_end', state === 'closed', state, 'closed'),
        ...poolChecks(end, peaks),
        ...sharedLayerChecks(ctx),
      ],
      metrics: {
        ...storm.recorder.metrics(),
        ...scenarioMetrics(db, peaks),
        ...retryMetrics(db),
        ...(Number.isFinite(recoveryMs) ? { recovery_ms: toMetric('recovery_ms', recoveryMs) } : {}),
      },
      samples: storm.recorder.samples(),
      params: { workers, iterations: ITERATIONS, stormMs: STORM_MS },
    };
  },
};
