import type { EntityManager } from '@mikro-orm/postgresql';
import { settleGc } from '../harness/memory.js';
import { check, type ScenarioDefinition } from '../scenario.js';
import { closeSessionWindow, openSessionWindow } from './session-checks.js';
import { loadMetrics, mixedOperation, runSessionLoad } from './session-workload.js';

const OPERATIONS = 100;

/** How many of the EntityManagers behind `refs` the garbage collector has reclaimed. */
async function countCollected(refs: ReadonlyArray<WeakRef<EntityManager>>): Promise<number> {
  await settleGc();
  return refs.filter((ref) => ref.deref() === undefined).length;
}

/**
 * sessions.normal_cleanup: 100 repository operations (scaled), one after another, through
 * withSession, read and write, each session tracked by the data layer's FinalizationRegistry and
 * each EntityManager handed to the function by a WeakRef of our own.
 * Criteria: every operation succeeds, no session open after, opened == closed, none leaked,
 * every EntityManager collectable after a forced GC except at most one per pooled connection
 * (the last transaction each one served), the pool back to 0 in use.
 */
export const normalCleanup: ScenarioDefinition = {
  id: 'sessions.normal_cleanup',
  category: 'sessions',
  params: { operations: OPERATIONS },
  async run(ctx) {
    const operations = ctx.scaled(OPERATIONS, 10);
    const before = openSessionWindow(ctx.db);
    const refs: Array<WeakRef<EntityManager>> = [];
    const load = await runSessionLoad(ctx.db, 1, operations, mixedOperation(ctx, (s) => refs.push(new WeakRef(s.em))));
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
