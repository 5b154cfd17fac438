/**
 * The calibration of a user's project: perf-gate does not know their tables, so the reference
 * statements are its own. `rawGetById` / `repoGetById` time a one-parameter select
 * (`select $1::int`) through raw `pg` and through the user's EntityManager (`em.execute`); the
 * inserts go into a table of perf-gate's in the scratch database (`perf_gate_calibration`). The
 * machine-speed factor of the verdict reads `rawGetById`, as in a run of perf-gate's own layer.
 */
import pg from 'pg';
import type { Calibration } from '../results/types.js';
import type { DataLayerUnderTest } from '../suites/subject.js';
import { summarize, timeOnce } from './calibrate.js';

export const CALIBRATION_TABLE = 'perf_gate_calibration';

const ROUNDS = 300;
const WARM_UP = 50;

/** Creates the calibration's table in the scratch database. */
export async function createCalibrationTable(db: DataLayerUnderTest): Promise<void> {
  await db.withSession((s) => s.em.execute(`create table if not exists ${CALIBRATION_TABLE} (id serial primary key, note text not null)`));
}

/** Raw `pg` against the user's EntityManager on the same statements, interleaved. */
export async function calibrateProject(db: DataLayerUnderTest, rawUrl: string): Promise<Calibration> {
  const client = new pg.Client({ connectionString: rawUrl, application_name: 'perf-gate-calibration' });
  await client.connect();
  client.on('error', () => undefined);
  const samples = { selectOne: [] as number[], rawGet: [] as number[], repoGet: [] as number[], rawInsert: [] as number[], repoInsert: [] as number[] };
  const insert = `insert into ${CALIBRATION_TABLE} (note) values ($1)`;
  try {
    for (let i = 0; i < WARM_UP; i++) {
      await client.query('select $1::int', [i]);
      await db.read((s) => s.em.execute('select ?::int as n', [i]));
    }
    for (let i = 0; i < ROUNDS; i++) {
      samples.selectOne.push(await timeOnce(() => client.query('select 1')));
      samples.rawGet.push(await timeOnce(() => client.query('select $1::int', [i])));
      samples.repoGet.push(await timeOnce(() => db.read((s) => s.em.execute('select ?::int as n', [i]))));
      if (i % 3 === 0) {
        samples.rawInsert.push(await timeOnce(() => client.query(insert, [`raw ${i}`])));
        samples.repoInsert.push(await timeOnce(() => db.write((s) => s.em.execute(insert.replace('$1', '?'), [`repo ${i}`]))));
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    rawSelectOne: summarize(samples.selectOne),
    rawGetById: summarize(samples.rawGet),
    repoGetById: summarize(samples.repoGet),
    rawInsert: summarize(samples.rawInsert),
    repoInsert: summarize(samples.repoInsert),
  };
}
