import { ensureUserPool, setPoolDeleted, uuidArray } from './bench-users.js';
import { countAuditRows, countRows, storedCheck } from './stored-rows.js';
import { defineSimpleBench } from './simple-bench.js';

/**
 * bench.complex.multi_table: one transaction over three tables: issues an API key to a random
 * user of the category's own pool (reads users, inserts into api_keys and audit_logs) and revokes
 * it (updates api_keys, inserts into audit_logs), as `db.write((s) => { s.apiKeys.issue(...);
 * s.apiKeys.revoke(...) })`.
 * Criteria: every call succeeds; every key issued is stored revoked, with its `create` and
 * `revoke` audit rows (two per call).
 */
export const complexMultiTable = defineSimpleBench('bench.complex.multi_table', async (ctx) => {
  const pool = await ensureUserPool(ctx);
  await setPoolDeleted(ctx.db, pool, false);
  const keys: string[] = [];
  return {
    operation: async () => {
      const userId = ctx.random.pick(pool);
      const keyId = await ctx.db.write(async (s) => {
        const { apiKey } = await s.apiKeys.issue(userId, { name: 'bench', scopes: ['read'] });
        await s.apiKeys.revoke(apiKey.id);
        return apiKey.id;
      });
      keys.push(keyId);
    },
    verify: async () => [
      storedCheck(
        'keys_stored_revoked',
        await countRows(ctx.db, 'select count(*) as n from api_keys where id = any(?::uuid[]) and revoked_at is not null', [uuidArray(keys)]),
        keys.length,
      ),
      storedCheck('audit_rows_stored', await countAuditRows(ctx.db, 'ApiKey', keys, ['create', 'revoke']), 2 * keys.length),
    ],
  };
});
