import { definePoolFlipBench } from './pool-flip.js';

/**
 * bench.crud.restore: restores soft-deleted users of the category's own pool, each once, one
 * transaction each (`db.write((s) => s.users.restore(id))`). The users bench.crud.soft_delete
 * deleted are still deleted; the rest of the pool is soft-deleted first (setup, one statement) so
 * the benchmark never runs out of users, also when it runs alone.
 * Criteria: every call succeeds; every restored user is live again, and one `restore` audit row is
 * stored per call. (Target avg < 20 ms: thresholds.json.)
 */
export const crudRestore = definePoolFlipBench('bench.crud.restore', {
  from: 'deleted',
  flip: (s, id) => s.users.restore(id),
  action: 'restore',
  storedCheckName: 'rows_live_again',
});
