/**
 * The bench category (docs/scenarios.md#bench), written as a perf file writes its scenarios:
 * templates of the public API (src/api) applied to operations of perf-gate's own data layer, each
 * through the repositories bound to the call's EntityManager, on the seeded database (`data` is
 * the SeedData). The templates give them the same runner, outcome and checks a user's scenarios
 * get, the session-leak checks included. bench.bulk.bulk:N reuses bench.bulk.individual:N
 * measured shortly before it in the same run (else it measures it itself), so the order below
 * (the catalog's) saves time. run/own-scenarios.ts expands them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { bench, concurrency, sizes, transaction, type ScenarioSpec, type VerifyContext } from '../../api/index.js';
import type { Random } from '../harness/random.js';
import type { SeedData } from '../seed.js';
import {
  countAuditRows,
  countRows,
  countUsers,
  ensureUserPool,
  expectThat,
  getById,
  createUser,
  nextNewUser,
  nextNewUsers,
  repositories,
  returnedIds,
  setPoolDeleted,
  storedCheck,
  UserDrawer,
  uuidArray,
} from '../own-operations.js';

type Verify<Prepared = undefined> = (ctx: VerifyContext<SeedData, undefined, Prepared>) => Promise<ReturnType<typeof storedCheck>[]>;

/** Rows a filtered search returns. */
const FILTERED_LIMIT = 25;
/** Users with the most keys that countPerUser returns. */
const TOP_USERS = 20;

/** Every user the calls created is stored live, with an audit row of one of `actions` each. */
const usersStored =
  (actions: readonly string[]): Verify =>
  async ({ em, results }) => {
    const ids = returnedIds(results);
    return [
      storedCheck('users_stored', await countUsers(em, ids, 'live'), ids.length),
      storedCheck('audit_rows_stored', await countAuditRows(em, 'User', ids, actions), ids.length),
    ];
  };

type PrepareArgs = { em: EntityManager; data: SeedData; random: Random; seconds: number };

/** The category's pool of users, all live. */
async function livePool({ em, data, random, seconds }: PrepareArgs): Promise<{ pool: string[] }> {
  const pool = await ensureUserPool(em, data, random, seconds);
  await setPoolDeleted(em, pool, false);
  return { pool };
}

/** The live pool, and how many audit rows of `action` its users had before the benchmark. */
const livePoolCounting =
  (action: string) =>
  async (args: PrepareArgs): Promise<{ pool: string[]; before: number }> => {
    const { pool } = await livePool(args);
    return { pool, before: await countAuditRows(args.em, 'User', pool, [action]) };
  };

/**
 * bench.crud.soft_delete / bench.crud.restore: pool users flipped to the other state, each once,
 * one transaction each; verify: every flipped user is stored in the new state (not removed), with
 * one audit row of `action` per call.
 */
function poolFlip(id: string, from: 'live' | 'deleted', action: 'soft_delete' | 'restore', storedName: string): ScenarioSpec<SeedData, undefined> {
  return bench(id, {
    write: true,
    async prepare({ em, data, random, seconds }) {
      const pool = await ensureUserPool(em, data, random, seconds);
      await setPoolDeleted(em, pool, from === 'deleted');
      return { pool, drawer: new UserDrawer(pool, random), before: await countAuditRows(em, 'User', pool, [action]) };
    },
    async operation({ em, prepared }) {
      const userId = prepared.drawer.draw();
      const users = repositories(em).users;
      await (from === 'live' ? users.softDelete(userId) : users.restore(userId));
      return userId;
    },
    async verify({ em, results, prepared }) {
      const flipped = returnedIds(results);
      return [
        storedCheck(storedName, await countUsers(em, flipped, from === 'live' ? 'deleted' : 'live'), flipped.length),
        storedCheck('audit_rows_stored', (await countAuditRows(em, 'User', prepared.pool, [action])) - prepared.before, flipped.length),
      ];
    },
  });
}

/** The category's scenarios, in catalog order. */
export const BENCH_SPECS: ReadonlyArray<ScenarioSpec<SeedData, undefined>> = [
  bench('crud.create', createUser, { write: true, verify: usersStored(['create']) }),
  bench('crud.get_by_id', getById),
  bench('crud.update', {
    write: true,
    prepare: livePoolCounting('update'),
    async operation({ em, data, random, prepared }) {
      const id = random.pick(prepared.pool);
      const { email } = nextNewUser(data, random);
      const user = await repositories(em).users.updateUser(id, { email });
      expectThat(user.email === email, `email is ${user.email}, expected ${email}`);
    },
    verify: async ({ em, results, prepared }) => [
      storedCheck('audit_rows_stored', (await countAuditRows(em, 'User', prepared.pool, ['update'])) - prepared.before, results.length),
    ],
  }),
  poolFlip('crud.soft_delete', 'live', 'soft_delete', 'rows_kept_soft_deleted'),
  poolFlip('crud.restore', 'deleted', 'restore', 'rows_live_again'),
  bench('query.get_by_username', async ({ em, data, random }) => {
    const { id, username } = random.pick(data.live);
    const user = await repositories(em).users.getByUsername(username);
    expectThat(user.id === id, `username ${username} gave ${user.id}, expected ${id}`);
  }),
  bench('query.get_by_email', async ({ em, data, random }) => {
    const { id, email } = random.pick(data.live);
    const user = await repositories(em).users.getByEmail(email);
    expectThat(user.id === id, `email ${email} gave ${user.id}, expected ${id}`);
  }),
  bench('query.filtered', async ({ em, data, random }) => {
    const domain = random.pick(data.domains);
    const after = data.midpoint;
    const users = await repositories(em).users.search({ active: true, createdAfter: after, emailDomain: domain, limit: FILTERED_LIMIT });
    expectThat(users.length > 0 && users.length <= FILTERED_LIMIT, `${users.length} rows for @${domain}, expected 1..${FILTERED_LIMIT}`);
    const stray = users.find((u) => !u.active || u.createdAt <= after || !u.email.toLowerCase().endsWith(`@${domain}`));
    expectThat(stray === undefined, `${stray?.email} does not match the filters`);
  }),
  bench('query.aggregate', async ({ em, data }) => {
    const counts = await repositories(em).users.countByState();
    expectThat(counts.total >= data.users, `total ${counts.total} < ${data.users} seeded users`);
  }),
  // A random full page of live users with the total; prepare counts the full pages.
  sizes('pagination', {
    sizeParam: 'page_size',
    async prepare({ em, size }) {
      const pageSize = size ?? 1;
      const first = await repositories(em).users.paginate(1, pageSize);
      const fullPages = Math.floor(first.total / pageSize);
      if (fullPages < 1) throw new Error(`pagination needs at least ${pageSize} live users, found ${first.total}`);
      return fullPages;
    },
    async operation({ em, random, size, prepared }) {
      const number = random.int(1, prepared);
      const result = await repositories(em).users.paginate(number, size);
      expectThat(result.items.length === size && result.total > 0, `page ${number} has ${result.items.length} rows, expected ${size}`);
    },
  }),
  sizes(
    'bulk.bulk',
    async ({ em, data, random, size }) => (await repositories(em).users.bulkCreate(nextNewUsers(data, random, size))).map((user) => user.id),
    {
      write: true,
      sizes: [10, 50, 100],
      sizeParam: 'batch_size',
      oneByOne: createUser,
      oneByOneId: 'bulk.individual',
      verify: usersStored(['create', 'bulk_create']),
    },
  ),
  bench('complex.join', async ({ em, data, random }) => {
    const { id } = random.pick(data.live);
    const user = await repositories(em).users.getWithApiKeys(id);
    expectThat(user.id === id && user.apiKeys.isInitialized(), `user ${id} with its keys loaded`);
  }),
  bench('complex.aggregate', async ({ em, data }) => {
    const session = repositories(em);
    const perUser = await session.apiKeys.countPerUser(TOP_USERS);
    const counts = await session.users.countByState();
    expectThat(perUser.length > 0 && perUser.every((row) => row.keys >= 1), `keys per user: ${perUser.length} rows`);
    expectThat(counts.total >= data.users, `total ${counts.total} < ${data.users} seeded users`);
  }),
  bench('complex.multi_table', {
    write: true,
    prepare: livePool,
    async operation({ em, random, prepared }) {
      const keys = repositories(em).apiKeys;
      const { apiKey } = await keys.issue(random.pick(prepared.pool), { name: 'bench', scopes: ['read'] });
      await keys.revoke(apiKey.id);
      return apiKey.id;
    },
    async verify({ em, results }) {
      const keys = returnedIds(results);
      const revoked = 'select count(*) as n from api_keys where id = any(?::uuid[]) and revoked_at is not null';
      return [
        storedCheck('keys_stored_revoked', await countRows(em, revoked, [uuidArray(keys)]), keys.length),
        storedCheck('audit_rows_stored', await countAuditRows(em, 'ApiKey', keys, ['create', 'revoke']), 2 * keys.length),
      ];
    },
  }),
  concurrency('concurrent.read', getById),
  concurrency('concurrent.write', createUser, {
    write: true,
    verify: async ({ em, results }) => {
      const ids = returnedIds(results);
      return [storedCheck('users_stored', await countUsers(em, ids, 'live'), ids.length)];
    },
  }),
  transaction('transaction', createUser, { verify: usersStored(['create']) }),
];
