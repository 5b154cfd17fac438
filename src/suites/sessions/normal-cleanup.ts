import type { EntityManager } from '@mikro-orm/postgresql';
import { settleGc } from '../harness/memory.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';
import { loadMetrics, runSessionLoad } from './session-workload.js';

/** One call of the operation in its own session, handing `observe` the session's EntityManager. */
export type ObservedCall = (ctx: ScenarioContext, observe: (em: EntityManager) => void) => () => Promise<unknown>;

const OPERATIONS = 100;

/** How many of the EntityManagers behind `refs` the garbage collector has reclaimed. */
async function countCollected(refs: ReadonlyArray<WeakRef<EntityManager>>): Promise<number> {
  await settleGc();
  return refs.filter((ref) => ref.deref() === undefined).length;
}

/**
 * sessions.normal_cleanup (a perf file's sessions.<id>.normal_cleanup): 100 calls of the operation
 * (scaled), one after another, each in its own session, tracked by the data layer's
 * FinalizationRegistry, and each session's EntityManager held by a WeakRef of perf-gate's.
 * Criteria: every operation succeeds, no session open after, opened == closed, none leaked,
 * every EntityManager collectable after a forced GC except at most one per pooled connection
 * (the last transaction each one served), the pool back to 0 in use.
 */
export function normalCleanupScenario(id: string, observedCall: ObservedCall): ScenarioDefinition {
  return {
  id,
  category: 'sessions',
  params: { operations: OPERATIONS },
  async run(ctx) {
    const operations = ctx.scaled(OPERATIONS, 10);
    const before = openSessionWindow(ctx.db);
    const refs: Array<WeakRef<EntityManager>> = [];
    const load = await runSessionLoad(ctx.db, 1, operations, observedCall(ctx, (em) => refs.push(new WeakRef(em))));
    const window = await closeSessionWindow(ctx.db, before);
    const retained = refs.length - (await countCollected(refs));
    // An idle pooled connection keeps the last transaction's EntityManager reachable: tarn's free
    // Resource holds a promise created inside MikroORM's AsyncLocalStorage transaction context.
    // So at most one per connection, whatever the number of operations; a leak keeps them all.
    const retainedAtMost = window.pool.size;
    const failed = load.metrics.failed.value;
    return {
      checks: [
        check('all_operations_succeeded', failed === 0, failed, '0 failed'),
        check('one_session_per_operation', window.delta.opened >= operations, window.delta.opened, `>= ${operations}`),
        ...window.checks,
        check(
          'entity_managers_collected',
          retained <= retainedAtMost,
          `${retained} of ${refs.length} still reachable`,
          `<= ${retainedAtMost} (one per pooled connection)`,
        ),
      ],
      metrics: { ...loadMetrics(ctx.db, load), ...window.metrics },
      samples: load.samples,
      params: { operations },
    };
  },
};
}
