import type { Random } from './harness/random.js';
import type { DataLayerUnderTest } from './subject.js';

/** Rows the scenarios look up: a sample of live users and their keys. */
export interface SeedData {
  users: number;
  /** Live users (not soft-deleted), a random sample. */
  live: Array<{ id: string; username: string; email: string }>;
  /** Soft-deleted users, a random sample (for restore). */
  deleted: string[];
  /** Email domains used by the seeded users. */
  domains: string[];
  /** A creation date that splits the users roughly in half. */
  midpoint: Date;
}

const DOMAINS = ['alpha.test', 'beta.test', 'gamma.test', 'delta.test', 'epsilon.test'];

/**
 * Time limit of the seeding transaction per user, ms: about 20 times the 0.05 ms measured on the
 * 2-core development machine, so large seeds (PERF_GATE_USERS in the millions) are not cut at
 * DATABASE_OPERATION_TIMEOUT, while a server that stops answering still ends the run.
 */
const SEED_LIMIT_MS_PER_USER = 1;

/**
 * Seeds `count` users (10% inactive, 5% soft-deleted, created over the last year), an API key or
 * two for every fifth user, and an audit row per user, in a few set-based statements; then samples
 * rows for the scenarios. Deterministic for a given random source.
 */
export async function seedDatabase(db: DataLayerUnderTest, count: number, random: Random, sample = 2000): Promise<SeedData> {
  const setseed = (random.next() * 2 - 1).toFixed(6);
  await db.withSession(
    async (s) => {
      await s.em.execute(`select setseed(${setseed})`);
      await s.em.execute(
        `insert into users (id, username, email, active, created_at, updated_at, deleted_at)
         select gen_random_uuid(), 'seed_' || g, 'seed_' || g || '@' || (array[${DOMAINS.map((d) => `'${d}'`).join(',')}])[1 + g % ${DOMAINS.length}],
                g % 10 <> 0, now() - (g::float / ? * interval '365 days'), now(),
                case when g % 20 = 7 then now() else null end
           from generate_series(1, ?) as g`,
        [count, count],
      );
      await s.em.execute(
        `insert into api_keys (id, user_id, name, key_hash, scopes, created_at, revoked_at)
         select gen_random_uuid(), u.id, 'key ' || k, md5(u.id::text || k) || md5(k::text || u.id::text), '{read}', now(),
                case when k = 2 then now() else null end
           from (select id, row_number() over (order by username) as n from users) u, generate_series(1, 2) k
          where u.n % 5 = 0 and (k = 1 or u.n % 10 = 0)`,
      );
      await s.em.execute(
        `insert into audit_logs (id, action, entity_name, entity_id, actor, payload, created_at)
         select gen_random_uuid(), 'create', 'User', id, 'seed', null, created_at from users`,
      );
    },
    { transactional: true, timeoutMs: Math.max(db.settings.operationTimeoutSeconds * 1000, count * SEED_LIMIT_MS_PER_USER) },
  );
  await settleServer(db);
  return sampleSeed(db, count, sample);
}

/**
 * Leaves the server quiet before anything is measured: the seeded tables vacuumed and analysed (so
 * autovacuum has no reason to wake up in the middle of a benchmark) and, where the user may, the
 * dirty pages written out by a checkpoint now rather than during a scenario.
 */
async function settleServer(db: DataLayerUnderTest): Promise<void> {
  await db.withSession(async (s) => {
    await s.em.execute('vacuum (analyze) users, api_keys, audit_logs');
    await s.em.execute('checkpoint').catch(() => undefined);
  });
}

async function sampleSeed(db: DataLayerUnderTest, count: number, sample: number): Promise<SeedData> {
  return db.withSession(async (s) => {
    const live: SeedData['live'] = await s.em.execute(
      `select id, username, email from users where deleted_at is null order by md5(username) limit ?`,
      [sample],
    );
    const deleted: Array<{ id: string }> = await s.em.execute(
      `select id from users where deleted_at is not null order by md5(username) limit ?`,
      [sample],
    );
    const [mid]: Array<{ at: Date }> = await s.em.execute(
      `select percentile_disc(0.5) within group (order by created_at) as at from users`,
    );
    return {
      users: count,
      live,
      deleted: deleted.map((row) => row.id),
      domains: DOMAINS,
      midpoint: new Date(mid?.at ?? Date.now()),
    };
  });
}
