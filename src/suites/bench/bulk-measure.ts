/**
 * The two ways bench.bulk.* create N users: one by one (N transactions, N audit rows written one
 * flush at a time) and in one bulkCreate (one transaction, one multi-row insert per table). Both
 * keep what they created so the scenario can check it was stored.
 */
import type { Check } from '../../results/types.js';
import type { ScenarioContext } from '../scenario.js';
import { keepReference } from './bench-outcome.js';
import { benchTiming, runBenchmark, type BenchMeasurement } from './bench-runner.js';
import { nextNewUser, nextNewUsers } from './bench-users.js';
import { countAuditRows, countUsers, storedCheck } from './stored-rows.js';
import { expectThat } from './simple-bench.js';

/** Batch sizes (docs/scenarios.md). */
export const BULK_SIZES = [10, 50, 100] as const;

export type BulkMode = 'individual' | 'bulk';

export const bulkReferenceKey = (mode: BulkMode, size: number): string => `bulk.${mode}:${size}`;

/** Creates `size` users the given way; returns their ids. */
async function createBatch(ctx: ScenarioContext, mode: BulkMode, size: number): Promise<string[]> {
  if (mode === 'bulk') {
    const users = await ctx.db.write((s) => s.users.bulkCreate(nextNewUsers(ctx, size)));
    return users.map((user) => user.id);
  }
  const ids: string[] = [];
  for (let i = 0; i < size; i += 1) ids.push((await ctx.db.write((s) => s.users.createUser(nextNewUser(ctx)))).id);
  return ids;
}

/** Benchmarks creating batches of `size` users; remembers the result as the reference of that mode and size. */
export async function measureBatches(
  ctx: ScenarioContext,
  mode: BulkMode,
  size: number,
): Promise<{ measured: BenchMeasurement; created: string[] }> {
  const created: string[] = [];
  const measured = await runBenchmark(`bench.bulk.${mode}:${size}`, ctx.db, benchTiming(ctx), async () => {
    const ids = await createBatch(ctx, mode, size);
    expectThat(ids.length === size, `${ids.length} users created, expected ${size}`);
    created.push(...ids);
  });
  keepReference(ctx.db, bulkReferenceKey(mode, size), measured.recorder);
  return { measured, created };
}

/** Every user a batch created is stored, each with its audit row. */
export async function batchStoredChecks(ctx: ScenarioContext, created: readonly string[]): Promise<Check[]> {
  return [
    storedCheck('users_stored', await countUsers(ctx.db, created, 'live'), created.length),
    storedCheck('audit_rows_stored', await countAuditRows(ctx.db, 'User', created, ['create', 'bulk_create']), created.length),
  ];
}
