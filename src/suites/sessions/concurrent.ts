import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';
import { loadMetrics, runSessionLoad } from './session-workload.js';

/** A concurrent-sessions scenario: its workers, their calls and what each call does. */
export interface ConcurrentSessionsSpec {
  id: string;
  /** Workers at once; never scaled, since overlapping sessions is the point. */
  concurrency: number;
  /** Calls per worker at scale 1 (scaled, never below `minIterations`). */
  iterations: number;
  minIterations: number;
  /** One call, opening (at least) one session of ctx.db. */
  operation: (ctx: ScenarioContext) => () => Promise<unknown>;
}

/**
 * A concurrent-sessions scenario (sessions.concurrent; a perf file's sessions.<id>.concurrent on
 * the user's operation): `concurrency` workers x `iterations` calls (scaled) on ctx.db at once.
 * Criteria: every operation succeeds; peak open sessions at most the concurrency (one session
 * per worker, none piling up) and above 1 (the load really overlapped); peak pool in use at most
 * the pool's max; afterwards no session open, opened == closed, none leaked, pool 0 in use.
 */
export function concurrentSessionsScenario(spec: ConcurrentSessionsSpec): ScenarioDefinition {
  const { id, concurrency } = spec;
  return {
    id,
    category: 'sessions',
    params: { concurrency, iterations: spec.iterations },
    async run(ctx) {
      const iterations = ctx.scaled(spec.iterations, spec.minIterations);
      const before = openSessionWindow(ctx.db);
      const load = await runSessionLoad(ctx.db, concurrency, iterations, spec.operation(ctx));
      const peakSessions = ctx.db.sessions.snapshot().peak;
      const window = await closeSessionWindow(ctx.db, before);
      const peakInUse = load.peaks.poolInUse ?? 0;
      const poolMax = window.pool.max;
      const failed = load.metrics.failed.value;
      return {
        checks: [
          check('all_operations_succeeded', failed === 0, failed, '0 failed'),
          check('peak_sessions_within_concurrency', peakSessions <= concurrency, peakSessions, `<= ${concurrency}`),
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
}
