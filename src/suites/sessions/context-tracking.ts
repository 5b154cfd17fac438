import type { EntityManager } from '@mikro-orm/postgresql';
import { SessionTracker } from '../../db/session-tracker.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { settleGc } from '../harness/memory.js';
import { readResourceMetrics } from '../resource-metrics.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';

const REPEATS = 10;
const NESTING = 3;

/** The operation on an EntityManager of a session the scenario opened. */
export type OnSession = (ctx: ScenarioContext) => (em: EntityManager) => Promise<unknown>;

/** Each way of using the session helper around the operation, with the number of sessions it opens. */
function usages(ctx: ScenarioContext, operation: (em: EntityManager) => Promise<unknown>, depths: number[]): Array<{ sessions: number; run: () => Promise<unknown> }> {
  const { db } = ctx;
  const nested = (level: number): Promise<unknown> =>
    db.withSession(async (s) => {
      if (level === NESTING) return depths.push(db.sessions.snapshot().open);
      await operation(s.em);
      return nested(level + 1);
    });
  return [
    { sessions: 1, run: () => db.withSession((s) => operation(s.em)) },
    { sessions: NESTING, run: () => nested(1) },
    {
      // Returns from inside a loop, after its first pass.
      sessions: 1,
      run: () =>
        db.withSession(async (s) => {
          for (let pass = 1; pass <= 5; pass++) {
            await operation(s.em);
            if (pass === 1) return pass;
          }
          return undefined;
        }),
    },
    { sessions: 1, run: () => db.read(async () => null) },
    { sessions: 1, run: () => db.withSession(() => Promise.reject(new Error('caught by the caller'))).catch(() => 'caught') },
    { sessions: 1, run: () => db.write((s) => operation(s.em)) },
  ];
}

/**
 * Forks an EntityManager the way withSession does, registers it, and drops it without closing. The
 * fork is made inside a session of the data layer under test (after the scenario's counting window,
 * so its counts are not touched), since the suites see the data layer through its interface only.
 */
async function openAndDrop(ctx: ScenarioContext, tracker: SessionTracker): Promise<void> {
  await ctx.db.withSession(async (s) => {
    tracker.track(s.em.fork({ clear: true, useContext: false }));
  });
}

/**
 * The negative control, on a tracker of its own so the shared counters stay clean: one session
 * closed properly, one dropped open. Collects until the finalizer has run (at most 10 rounds).
 */
async function leakControl(ctx: ScenarioContext) {
  const tracker = new SessionTracker();
  tracker.track({ kept: true }).close();
  await openAndDrop(ctx, tracker);
  for (let round = 0; round < 10 && tracker.snapshot().leaked === 0; round++) await settleGc();
  return tracker.snapshot();
}

/**
 * sessions.context_tracking (a perf file's sessions.<id>.context_tracking): the session helper of
 * the data layer under test (withSession / read / write, the context-manager analogue) around the
 * operation, 10 times (scaled) in each way: plainly, nested three deep, returning early from a
 * loop, returning before any query, failing with a caught error, and in a write.
 * Criteria: sessions opened == the helper uses made; closed / opened exactly 1; inside the
 * innermost nested session all three are open; no session open after, none leaked, pool 0 in
 * use; and a negative control: a session dropped without closing is counted as leaked.
 */
export function contextTrackingScenario(id: string, onSession: OnSession): ScenarioDefinition {
  return {
  id,
  category: 'sessions',
  params: { repeats: REPEATS, nesting: NESTING },
  async run(ctx) {
    const repeats = ctx.scaled(REPEATS, 2);
    const before = openSessionWindow(ctx.db);
    const depths: number[] = [];
    const operation = onSession(ctx);
    const recorder = new LatencyRecorder();
    let expected = 0;
    for (let i = 0; i < repeats; i++) {
      for (const usage of usages(ctx, operation, depths)) {
        expected += usage.sessions;
        await recorder.measure(usage.run);
      }
    }
    const window = await closeSessionWindow(ctx.db, before);
    const { opened, closed } = window.delta;
    const ratio = opened === 0 ? 0 : closed / opened;
    const deepest = Math.min(...depths) - before.open;
    const control = await leakControl(ctx);
    return {
      checks: [
        check('one_session_per_use', opened === expected, opened, `${expected}`),
        check('create_close_ratio_1', ratio === 1, ratio, '1'),
        check('nested_sessions_tracked', deepest === NESTING && depths.length === repeats, deepest, `${NESTING} open innermost`),
        ...window.checks,
        check(
          'tracker_detects_leak',
          control.leaked === 1 && control.closed === 1,
          `control: opened ${control.opened}, closed ${control.closed}, leaked ${control.leaked}`,
          'leaked 1, closed 1',
        ),
      ],
      metrics: { ...recorder.metrics(), ...readResourceMetrics(ctx.db), ...window.metrics },
      samples: recorder.samples(),
      params: { repeats, uses: repeats * usages(ctx, operation, []).length },
    };
  },
};
}
