/**
 * Users the bench category makes: unique new users, and a pool of its own users that the update,
 * soft delete, restore and multi-table benchmarks change, so the seeded users the other categories
 * look up stay as seeded.
 */
import type { NewUser } from '../../db/repositories/user-repository.js';
import type { Random } from '../harness/random.js';
import type { ScenarioContext } from '../scenario.js';
import type { DataLayerUnderTest } from '../subject.js';
import { benchState } from './bench-state.js';

/**
 * Fastest rate (calls/s) any pool-consuming benchmark could reach here; the pool holds enough
 * users for that rate over a whole benchmark, benchmark.js's overshoot past maxTime included.
 */
const POOL_RATE_CEILING = 2000;

/** Prefix of every username the category makes: the run's seed and a start tag (a kept database may hold an earlier run's users). */
function namePrefix(ctx: ScenarioContext): string {
  const state = benchState(ctx.db);
  return `bench_${ctx.random.seed.toString(36)}_${state.tag}`;
}

/** A user no other row has: the run's seed, its start tag and a counter in the username. */
export function nextNewUser(ctx: ScenarioContext): NewUser {
  const state = benchState(ctx.db);
  state.created += 1;
  const username = `${namePrefix(ctx)}_${state.created}`;
  return { username, email: `${username}@bench.test` };
}

/** `count` unique new users. */
export function nextNewUsers(ctx: ScenarioContext, count: number): NewUser[] {
  return Array.from({ length: count }, () => nextNewUser(ctx));
}

/** Pool size for benchmarks of `maxSeconds`. */
export function poolSizeFor(maxSeconds: number): number {
  return Math.ceil(POOL_RATE_CEILING * (2 * maxSeconds + 0.2));
}

/**
 * The category's pool of its own live-or-deleted users, created once per run with one set-based
 * insert (users and their audit rows, as seeding does: setup, not measured).
 */
export async function ensureUserPool(ctx: ScenarioContext): Promise<string[]> {
  const state = benchState(ctx.db);
  if (state.userPool) return state.userPool;
  const prefix = `${namePrefix(ctx)}_pool`;
  const ids = await ctx.db.write(async (s) => {
    const rows: Array<{ id: string }> = await s.em.execute(
      `insert into users (id, username, email, active, created_at, updated_at)
       select gen_random_uuid(), ? || '_' || g, ? || '_' || g || '@bench.test', true, now(), now()
         from generate_series(1, ?) as g
       returning id`,
      [prefix, prefix, poolSizeFor(ctx.options.benchmarkMaxSeconds)],
    );
    await s.em.execute(
      `insert into audit_logs (id, action, entity_name, entity_id, actor, payload, created_at)
       select gen_random_uuid(), 'create', 'User', id, 'bench', null, now() from unnest(?::uuid[]) as id`,
      [uuidArray(rows.map((row) => row.id))],
    );
    return rows.map((row) => row.id);
  });
  state.userPool = ids;
  return ids;
}

/** Puts every pool user in one state (live or soft-deleted) with one statement; setup, not measured. */
export async function setPoolDeleted(db: DataLayerUnderTest, ids: readonly string[], deleted: boolean): Promise<void> {
  await db.write((s) =>
    s.em.execute(
      deleted
        ? `update users set deleted_at = now() where id = any(?::uuid[]) and deleted_at is null`
        : `update users set deleted_at = null where id = any(?::uuid[]) and deleted_at is not null`,
      [uuidArray(ids)],
    ),
  );
}

/** A PostgreSQL array literal of uuids, bound as one parameter (knex would expand a JS array). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/** Hands out pool users at random, each once; running out is an error the benchmark records. */
export class UserDrawer {
  private readonly left: string[];

  constructor(
    ids: readonly string[],
    private readonly random: Random,
  ) {
    this.left = [...ids];
  }

  get remaining(): number {
    return this.left.length;
  }

  /** A user not handed out before. */
  draw(): string {
    if (this.left.length === 0) throw new Error('the bench user pool is exhausted: raise POOL_RATE_CEILING');
    const index = this.random.int(0, this.left.length - 1);
    const id = this.left[index]!;
    this.left[index] = this.left[this.left.length - 1]!;
    this.left.pop();
    return id;
  }
}
