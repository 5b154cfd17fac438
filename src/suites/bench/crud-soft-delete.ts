import { definePoolFlipBench } from './pool-flip.js';

/**
 * bench.crud.soft_delete: soft-deletes users of the category's own pool, each once, one
 * transaction each (`db.write((s) => s.users.softDelete(id))`). The pool is made live first
 * (setup, one statement); bench.crud.restore brings these users back.
 * Criteria: every call succeeds; every deleted user is kept with deleted_at set (not removed), and
 * one `soft_delete` audit row is stored per call. (Target avg < 20 ms: thresholds.json.)
 */
export const crudSoftDelete = definePoolFlipBench('bench.crud.soft_delete', {
  from: 'live',
  flip: (s, id) => s.users.softDelete(id),
  action: 'soft_delete',
  storedCheckName: 'rows_kept_soft_deleted',
});
