import { calibrate } from '../run/calibrate.js';
import { readFingerprint } from '../run/fingerprint.js';
import { DataLayer } from '../db/data-layer.js';
import { createScratchDatabase, type ScratchDatabase } from '../db/scratch-database.js';
import type { Calibration, EnvironmentFingerprint } from '../results/types.js';
import { installServerFaults } from '../suites/faults/server-faults.js';
import { createRandom } from '../suites/harness/random.js';
import { seedDatabase, type SeedData } from '../suites/seed.js';
import type { StartRequest } from './protocol.js';

function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}

/**
 * A worker's prepared database, as a gate session prepares one (src/gate/gate-session.ts):
 * a scratch database of its own on the given server (never an embedded one: the coordinator owns
 * the server), migrated, with the server-side faults installed, seeded from the request's seed.
 */
export class WorkerSession {
  private constructor(
    private readonly scratch: ScratchDatabase,
    readonly db: DataLayer,
    readonly seed: SeedData,
    readonly fingerprint: EnvironmentFingerprint,
    readonly setupMs: number,
    readonly database: string,
    readonly calibration: Calibration | undefined,
  ) {}

  static async open(request: StartRequest, log: (line: string) => void): Promise<WorkerSession> {
    const started = performance.now();
    const scratch = await createScratchDatabase(request.serverUrl, request.databasePrefix);
    const database = `database ${scratch.name} on ${describeServer(request.serverUrl)}`;
    log(database);
    let db: DataLayer | undefined;
    try {
      db = await DataLayer.open({ ...request.settings, url: scratch.url });
      const applied = await db.migrate();
      log(`migrations applied: ${applied.join(', ') || 'none'}`);
      await db.withSession((s) => installServerFaults(s.em));
      const seed = await seedDatabase(db, request.seedUsers, createRandom(request.seed));
      log(`seeded ${request.seedUsers} users (seed ${request.seed})`);
      const fingerprint = await readFingerprint(db);
      const setupMs = performance.now() - started;
      const calibration = request.calibrate ? await calibrate(db, scratch.url, seed, `duet_${request.seed}`) : undefined;
      return new WorkerSession(scratch, db, seed, fingerprint, setupMs, database, calibration);
    } catch (error) {
      await db?.close().catch(() => undefined);
      await scratch.drop().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the data layer and drops the scratch database. */
  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.scratch.drop();
    }
  }
}
