import { readFingerprint } from '../run/fingerprint.js';
import { createScratchDatabase, type ScratchDatabase } from '../db/scratch-database.js';
import type { Calibration, EnvironmentFingerprint } from '../results/types.js';
import type { SuiteSubject } from '../run/suite-subject.js';
import type { SeedData } from '../suites/seed.js';
import type { DataLayerUnderTest } from '../suites/subject.js';
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
    private readonly subject: SuiteSubject,
    readonly db: DataLayerUnderTest,
    readonly seed: SeedData,
    readonly fingerprint: EnvironmentFingerprint,
    readonly setupMs: number,
    readonly database: string,
    readonly calibration: Calibration | undefined,
  ) {}

  static async open(request: StartRequest, subject: SuiteSubject, log: (line: string) => void): Promise<WorkerSession> {
    const started = performance.now();
    const scratch = await createScratchDatabase(request.serverUrl, request.databasePrefix);
    const database = `database ${scratch.name} on ${describeServer(request.serverUrl)}`;
    log(database);
    let db: DataLayerUnderTest | undefined;
    try {
      db = await subject.openDataLayer({ ...subject.tuning(request.settings), url: scratch.url });
      const applied = await db.migrate();
      log(`migrations applied: ${applied.join(', ') || 'none'}`);
      const seed = await subject.prepare(db, { seed: request.seed, rows: request.seedUsers }, log);
      const fingerprint = await readFingerprint(db);
      const setupMs = performance.now() - started;
      const calibration = request.calibrate ? await subject.calibrate(db, scratch.url, seed, `duet_${request.seed}`) : undefined;
      return new WorkerSession(scratch, subject, db, seed, fingerprint, setupMs, database, calibration);
    } catch (error) {
      await subject.close().catch(() => undefined);
      await db?.close().catch(() => undefined);
      await scratch.drop().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the data layer and drops the scratch database. */
  async close(): Promise<void> {
    try {
      await this.subject.close();
      await this.db.close();
    } finally {
      await this.scratch.drop();
    }
  }
}
