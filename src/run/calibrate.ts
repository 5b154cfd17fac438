import pg from 'pg';
import { meanOf, percentileOf } from '../common/statistics.js';
import { newId } from '../db/ids.js';
import type { Calibration, LatencySummary } from '../results/types.js';
import type { SeedData } from '../suites/seed.js';
import type { DataLayerUnderTest } from '../suites/subject.js';
import { REFERENCE_SQL } from './reference-probe.js';


/** The summary of a calibration's samples (ms). */
export function summarize(samples: number[]): LatencySummary {
  return { avg: meanOf(samples), p50: percentileOf(samples, 50), p95: percentileOf(samples, 95), n: samples.length };
}

/** How long `fn` took, ms. */
export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The same insert the repository makes (user + audit row in one transaction), through raw pg. */
async function rawInsert(client: pg.PoolClient, tag: string): Promise<void> {
  const id = newId();
  await client.query('begin');
  await client.query(
    `insert into users (id, username, email, active, created_at, updated_at) values ($1, $2, $3, true, now(), now())`,
    [id, `cal_raw_${tag}`, `cal_raw_${tag}@calibration.test`],
  );
  await client.query(
    `insert into audit_logs (id, action, entity_name, entity_id, actor, payload, created_at) values ($1, 'create', 'User', $2, null, null, now())`,
    [newId(), id],
  );
  await client.query('commit');
}

/**
 * Times reference operations through raw `pg` next to the same operations through the repository,
 * interleaved round by round so both see the same machine. The verdict uses the raw figures to tell
 * a slower runner from slower code; reports show repository / raw as the ORM's overhead.
 */
export async function calibrate(
  db: DataLayerUnderTest,
  rawUrl: string,
  seed: SeedData,
  runTag = String(Date.now()),
  rounds = 300,
): Promise<Calibration> {
  const pool = new pg.Pool({ connectionString: rawUrl, max: 1, application_name: 'perf-gate-calibration' });
  const samples = { selectOne: [] as number[], rawGet: [] as number[], repoGet: [] as number[], rawInsert: [] as number[], repoInsert: [] as number[] };
  const client = await pool.connect();
  // A checked-out client has no error listener: a connection the server ends between two queries
  // (it is stopping) would crash the process. The next query fails instead, and the run reports it.
  client.on('error', () => undefined);
  try {
    // Warm both paths first (pool connections opened, statements and code paths hot), so the
    // timings compare steady states rather than connection set-up.
    for (let i = 0; i < 50; i++) {
      const user = seed.live[i % seed.live.length]!;
      await client.query(REFERENCE_SQL, [user.id]);
      await db.read((s) => s.users.getById(user.id));
    }
    for (let i = 0; i < rounds; i++) {
      const user = seed.live[i % seed.live.length]!;
      samples.selectOne.push(await timeOnce(() => client.query('select 1')));
      samples.rawGet.push(await timeOnce(() => client.query(REFERENCE_SQL, [user.id])));
      samples.repoGet.push(await timeOnce(() => db.read((s) => s.users.getById(user.id))));
      if (i % 3 === 0) {
        const tag = `${runTag}_${i}`;
        samples.rawInsert.push(await timeOnce(() => rawInsert(client, tag)));
        samples.repoInsert.push(
          await timeOnce(() => db.write((s) => s.users.createUser({ username: `cal_repo_${tag}`, email: `cal_repo_${tag}@calibration.test` }))),
        );
      }
    }
  } finally {
    client.release();
    await pool.end();
  }
  return {
    rawSelectOne: summarize(samples.selectOne),
    rawGetById: summarize(samples.rawGet),
    repoGetById: summarize(samples.repoGet),
    rawInsert: summarize(samples.rawInsert),
    repoInsert: summarize(samples.repoInsert),
  };
}
