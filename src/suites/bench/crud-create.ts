import { nextNewUser } from './bench-users.js';
import { countAuditRows, countUsers, storedCheck } from './stored-rows.js';
import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.crud.create: creates unique users one per transaction through the repository
 * (`db.write((s) => s.users.createUser(...))`), each with its audit row.
 * Criteria: every call succeeds; every created user and its `create` audit row are stored.
 * (The < 50 ms average is a limit in thresholds.json, judged by the verdict, not a check here.)
 */
export const crudCreate = defineSimpleBench('bench.crud.create', (ctx) => {
  const created: string[] = [];
  return {
    operation: async () => {
      const input = nextNewUser(ctx);
      const user = await ctx.db.write((s) => s.users.createUser(input));
      expectThat(user.username === input.username, `created ${user.username}, asked for ${input.username}`);
      created.push(user.id);
    },
    verify: async () => [
      storedCheck('users_stored', await countUsers(ctx.db, created, 'live'), created.length),
      storedCheck('audit_rows_stored', await countAuditRows(ctx.db, 'User', created, ['create']), created.length),
    ],
  };
});
