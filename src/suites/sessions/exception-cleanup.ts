import { raiseOnServer } from '../faults/server-faults.js';
import { toMetric } from '../harness/latency-metrics.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import type { Session } from '../subject.js';
import { JS_ERROR, SYNTAX_ERROR, TIMEOUT, UNIQUE_VIOLATION, type FailureCase } from './failure-cases.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';

const REPEATS = 4;
const FAILURE_CASES: readonly FailureCase[] = [JS_ERROR, UNIQUE_VIOLATION, SYNTAX_ERROR, TIMEOUT];

/** Writes a user row named `marker` in the session's transaction, the row the rollback must undo. */
function writeMarker(s: Session, marker: string): Promise<unknown> {
  return s.users.createUser({ username: marker, email: `${marker}@sessions.test` });
}

/** Failures the caller sees; each run leaves its rows (markers) behind only if rollback failed. */
async function runFailureCases(ctx: ScenarioContext, recorder: LatencyRecorder, repeats: number, tag: string) {
  const raised: string[] = [];
  const failedMarkers: string[] = [];
  for (const failure of FAILURE_CASES) {
    let count = 0;
    for (let i = 0; i < repeats; i++) {
      const marker = `sx_${tag}_${failure.name}_${i}`;
      failedMarkers.push(marker);
      const outcome = await recorder.measure(() => failure.run(ctx, (s) => writeMarker(s, marker)));
      if (outcome.kind === 'error' && failure.raised(outcome.error)) count++;
    }
    raised.push(`${failure.name} ${count}/${repeats}`);
  }
  return { raised, failedMarkers, allRaised: raised.every((r) => r.endsWith(` ${repeats}/${repeats}`)) };
}

/**
 * A transactional write whose first attempt fails on the server with a transient SQLSTATE
 * (40001): the data layer rolls it back and retries the whole transaction, which commits.
 */
async function runTransientWrites(ctx: ScenarioContext, recorder: LatencyRecorder, repeats: number, tag: string) {
  const failedMarkers: string[] = [];
  const committedMarkers: string[] = [];
  for (let i = 0; i < repeats; i++) {
    let attempt = 0;
    await recorder.measure(() =>
      ctx.db.write(async (s) => {
        const marker = `sx_${tag}_transient_${i}_a${++attempt}`;
        await writeMarker(s, marker);
        if (attempt === 1) {
          failedMarkers.push(marker);
          await raiseOnServer(s.em, '40001');
        }
        committedMarkers.push(marker);
      }),
    );
  }
  return { failedMarkers, committedMarkers };
}

/** Which of the marker rows exist, then deletes them (and their audit rows) to leave the data as seeded. */
async function takeStoredMarkers(ctx: ScenarioContext, tag: string): Promise<Set<string>> {
  return ctx.db.write(async (s) => {
    const rows: Array<{ username: string }> = await s.em.execute('select username from users where username like ?', [`sx_${tag}_%`]);
    await s.em.execute(
      `delete from audit_logs where entity_name = 'User' and entity_id in (select id from users where username like ?)`,
      [`sx_${tag}_%`],
    );
    await s.em.execute('delete from users where username like ?', [`sx_${tag}_%`]);
    return new Set(rows.map((row) => row.username));
  });
}

/**
 * sessions.exception_cleanup: operations that fail in each real way (a JS error inside the
 * session, a unique violation and a syntax error from PostgreSQL, a statement timeout through
 * withSession { timeoutMs }), each after writing a row, plus writes whose first attempt hits a
 * transient server error and is retried.
 * Criteria: each failure reaches the caller as raised; no row written before an error is stored,
 * while the retried writes are; no session open, opened == closed, none leaked, pool 0 in use.
 */
export const exceptionCleanup: ScenarioDefinition = {
  id: 'sessions.exception_cleanup',
  category: 'sessions',
  params: { repeats_per_case: REPEATS, cases: FAILURE_CASES.map((c) => c.name).concat('transient_retry').join(',') },
  async run(ctx) {
    const repeats = ctx.scaled(REPEATS, 2);
    const tag = ctx.random.int(0, 2 ** 31).toString(36);
    const before = openSessionWindow(ctx.db);
    const retriesBefore = ctx.db.resilience.snapshot().retries;
    const recorder = new LatencyRecorder();
    const failures = await runFailureCases(ctx, recorder, repeats, tag);
    const transient = await runTransientWrites(ctx, recorder, repeats, tag);
    const stored = await takeStoredMarkers(ctx, tag);
    const window = await closeSessionWindow(ctx.db, before);
    const leftovers = [...failures.failedMarkers, ...transient.failedMarkers].filter((m) => stored.has(m)).length;
    const committed = transient.committedMarkers.filter((m) => stored.has(m)).length;
    return {
      checks: [
        check('errors_reach_caller', failures.allRaised, failures.raised.join(', '), `${repeats}/${repeats} of each`),
        check('failed_writes_rolled_back', leftovers === 0, leftovers, '0 rows stored'),
        check('retried_writes_committed', committed === repeats, committed, `${repeats} rows stored`),
        ...window.checks,
      ],
      metrics: {
        ...recorder.metrics(),
        ...readResourceMetrics(ctx.db),
        ...window.metrics,
        retries: toMetric('retries', ctx.db.resilience.snapshot().retries - retriesBefore),
      },
      samples: recorder.samples(),
      params: { repeats_per_case: repeats },
    };
  },
};
