/**
 * The operations of perf-gate's own perf-file specs (suites/bench, suites/pooling,
 * suites/sessions) and what they share, on the EntityManager a perf file's operation gets: the
 * repositories bound to it, unique new users, the bench category's own pool of users (which the
 * update, soft delete, restore and multi-table benchmarks change, so the seeded users the other
 * categories look up stay as seeded), and counts of stored rows read back by `verify`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Operation, VerifyCheck } from '../api/index.js';
import { bindSession, type Session } from '../db/data-layer.js';
import type { NewUser } from '../db/repositories/user-repository.js';
import type { Random } from './harness/random.js';
import type { SeedData } from './seed.js';

/**
 * Fastest rate (calls/s) any pool-consuming benchmark could reach here; the pool holds enough
 * users for that rate over a whole benchmark, benchmark.js's overshoot past maxTime included.
 */
const POOL_RATE_CEILING = 2000;

/** An operation of perf-gate's own perf-file specs: its `data` is the seed's SeedData. */
export type OwnOperation = Operation<SeedData, undefined, never>;

/** The repositories of perf-gate's data layer on a call's EntityManager. */
export const repositories = (em: EntityManager): Session => bindSession(em);

/** What the category keeps for one seeded database: the counter behind unique usernames and its pool of users. */
interface OwnBenchState {
  created: number;
  /** Start time, base 36: keeps usernames unique on a database kept from an earlier run. */
  tag: string;
  userPool: string[];
}

const states = new WeakMap<SeedData, OwnBenchState>();

function stateOf(data: SeedData): OwnBenchState {
  let state = states.get(data);
  if (!state) {
    state = { created: 0, tag: Date.now().toString(36), userPool: [] };
    states.set(data, state);
  }
  return state;
}

/** Prefix of every username the category makes: the run's seed and the state's tag. */
const namePrefix = (data: SeedData, random: Random): string => `bench_${random.seed.toString(36)}_${stateOf(data).tag}`;

/** A user no other row has: the run's seed, its start tag and a counter in the username. */
export function nextNewUser(data: SeedData, random: Random): NewUser {
  const state = stateOf(data);
  state.created += 1;
  const username = `${namePrefix(data, random)}_${state.created}`;
  return { username, email: `${username}@bench.test` };
}

/** `count` unique new users. */
export function nextNewUsers(data: SeedData, random: Random, count: number): NewUser[] {
  return Array.from({ length: count }, () => nextNewUser(data, random));
}

/** Pool size for benchmarks of `maxSeconds`. */
export function poolSizeFor(maxSeconds: number): number {
  return Math.ceil(POOL_RATE_CEILING * (2 * maxSeconds + 0.2));
}

/** A PostgreSQL array literal of uuids, bound as one parameter (knex would expand a JS array). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/**
 * The category's pool of its own live-or-deleted users, large enough for benchmarks of `seconds`:
 * grown with one set-based insert (users and their audit rows, as seeding does) when it is smaller.
 */
export async function ensureUserPool(em: EntityManager, data: SeedData, random: Random, seconds: number): Promise<string[]> {
  const state = stateOf(data);
  const missing = poolSizeFor(seconds) - state.userPool.length;
  if (missing <= 0) return state.userPool;
  const prefix = `${namePrefix(data, random)}_pool${state.userPool.length}`;
  const rows: Array<{ id: string }> = await em.execute(
    `insert into users (id, username, email, active, created_at, updated_at)
     select gen_random_uuid(), ? || '_' || g, ? || '_' || g || '@bench.test', true, now(), now()
       from generate_series(1, ?) as g
     returning id`,
    [prefix, prefix, missing],
  );
  await em.execute(
    `insert into audit_logs (id, action, entity_name, entity_id, actor, payload, created_at)
     select gen_random_uuid(), 'create', 'User', id, 'bench', null, now() from unnest(?::uuid[]) as id`,
    [uuidArray(rows.map((row) => row.id))],
  );
  state.userPool = [...state.userPool, ...rows.map((row) => row.id)];
  return state.userPool;
}

/** Puts every pool user in one state (live or soft-deleted) with one statement. */
export async function setPoolDeleted(em: EntityManager, ids: readonly string[], deleted: boolean): Promise<void> {
  await em.execute(
    deleted
      ? `update users set deleted_at = now() where id = any(?::uuid[]) and deleted_at is null`
      : `update users set deleted_at = null where id = any(?::uuid[]) and deleted_at is not null`,
    [uuidArray(ids)],
  );
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

/** Throws when a call returned a wrong answer, so the call counts as failed. */
export function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new Error(`wrong result: ${what}`);
}

/** Which users of a list to count. */
export type UserState = 'live' | 'deleted' | 'any';

const USER_STATE_SQL: Record<UserState, string> = {
  live: 'and deleted_at is null',
  deleted: 'and deleted_at is not null',
  any: '',
};

/** Runs a `select count(*) as n ...` and returns n. */
export async function countRows(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows: Array<{ n: string | number }> = await em.execute(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** How many of these users exist in the given state (soft-deleted rows included for 'any'). */
export function countUsers(em: EntityManager, ids: readonly string[], state: UserState): Promise<number> {
  return countRows(em, `select count(*) as n from users where id = any(?::uuid[]) ${USER_STATE_SQL[state]}`, [uuidArray(ids)]);
}

/** How many audit rows with one of `actions` exist for these rows of `entityName`. */
export function countAuditRows(em: EntityManager, entityName: string, ids: readonly string[], actions: readonly string[]): Promise<number> {
  return countRows(
    em,
    `select count(*) as n from audit_logs where entity_name = ? and entity_id = any(?::uuid[]) and action = any(?::text[])`,
    [entityName, uuidArray(ids), `{${actions.join(',')}}`],
  );
}

/** A check that a count read back equals the count the calls should have stored. */
export function storedCheck(name: string, stored: number, expected: number): VerifyCheck {
  return { name, passed: stored === expected, measured: stored, expected: `= ${expected}` };
}

/** The ids the calls returned: one id, or a batch's ids, each. */
export const returnedIds = (results: readonly unknown[]): string[] => results.flat().filter((id): id is string => typeof id === 'string');

/** A random seeded live user by primary key (bench.crud.get_by_id, the concurrent read and the pooling loads). */
export const getById: OwnOperation = async ({ em, data, random }) => {
  const { id } = random.pick(data.live);
  const user = await repositories(em).users.getById(id);
  expectThat(user.id === id, `asked for ${id}, got ${user.id}`);
};

/** A unique new user with its audit row; returns its id. */
export const createUser: OwnOperation = async ({ em, data, random }) => {
  const input = nextNewUser(data, random);
  const user = await repositories(em).users.createUser(input);
  expectThat(user.username === input.username, `created ${user.username}, asked for ${input.username}`);
  return user.id;
};

/**
 * The session category's operation: a random live user looked up by username (40%), a search of
 * its email domain (40%), or an update that assigns its current email (20%: changes no column,
 * but writes the audit row, in a transaction of its own).
 */
export const mixedOperation: OwnOperation = async ({ em, data, random }) => {
  const roll = random.next();
  const user = random.pick(data.live);
  const users = repositories(em).users;
  if (roll < 0.4) return users.getByUsername(user.username);
  if (roll < 0.8) return users.search({ emailDomain: user.email.split('@')[1], limit: 10 });
  return em.transactional((tx) => repositories(tx as EntityManager).users.updateUser(user.id, { email: user.email }, 'perf-gate'));
};
