import { check, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';
import { loadMetrics, mixedOperation, runSessionLoad } from './session-workload.js';

const CONCURRENCY = 50;
const ITERATIONS = 6;

/**
 * sessions.concurrent: 50 concurrent workers x 6 mixed repository operations (iterations
 * scaled), more sessions at once than the pool has connections.
 * Criteria: every operation succeeds; peak open sessions at most the concurrency (one session
 * per worker, none piling up) and above 1 (the load really overlapped); peak pool in use at most
 * the pool's max; afterwards no session open, opened == closed, none leaked, pool 0 in use.
 */
export const concurrentSessions: ScenarioDefinition = {
  id: 'sessions.concurrent',
  category: 'sessions',
  params: { concurrency: CONCURRENCY, iterations: ITERATIONS },
  async run(ctx) {
    const iterations = ctx.scaled(ITERATIONS, 2);
    const before = openSessionWindow(ctx.db);
    const load = await runSessionLoad(ctx.db, CONCURRENCY, iterations, mixedOperation(ctx));
    const peakSessions = ctx.db.sessions.snapshot().peak;
    const window = await closeSessionWindow(ctx.db, before);
    const peakInUse = load.peaks.poolInUse ?? 0;
    const poolMax = window.pool.max;
    const failed = load.metrics.failed.value;
    return {
      checks: [
        check('all_operations_succeeded', failed === 0, failed, '0 failed'),
        check('peak_sessions_within_concurrency', peakSessions <= CONCURRENCY, peakSessions, `<= ${CONCURRENCY}`),
        check('sessions_overlapped', peakSessions > 1, peakSessions, '> 1'),
        check('peak_pool_in_use_within_max', peakInUse <= poolMax, peakInUse, `<= ${poolMax}`),
        ...window.checks,
      ],
      metrics: { ...loadMetrics(ctx.db, load), ...window.metrics },
      samples: load.samples,
      params: { iterations },
    };
  },
};
