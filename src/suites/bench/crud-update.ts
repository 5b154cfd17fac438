import { ensureUserPool, nextNewUser, setPoolDeleted } from './bench-users.js';
import { countAuditRows, storedCheck } from './stored-rows.js';
import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.crud.update: changes the email of random users of the category's own pool, one
 * transaction each (`s.users.updateUser(id, { email })`: load, update, audit row).
 * Criteria: every call succeeds; one `update` audit row is stored per call.
 * (Target avg < 20 ms: thresholds.json.)
 */
export const crudUpdate = defineSimpleBench('bench.crud.update', async (ctx) => {
  const pool = await ensureUserPool(ctx);
  await setPoolDeleted(ctx.db, pool, false);
  const before = await countAuditRows(ctx.db, 'User', pool, ['update']);
  let updated = 0;
  return {
    operation: async () => {
      const id = ctx.random.pick(pool);
      const { email } = nextNewUser(ctx);
      const user = await ctx.db.write((s) => s.users.updateUser(id, { email }));
      expectThat(user.email === email, `email is ${user.email}, expected ${email}`);
      updated += 1;
    },
    verify: async () => [storedCheck('audit_rows_stored', (await countAuditRows(ctx.db, 'User', pool, ['update'])) - before, updated)],
  };
});
