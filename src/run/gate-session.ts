import type { DbTuning } from '../db/settings.js';
import type { CostSection } from '../results/cost-section.js';
import { RESULTS_SCHEMA_VERSION, type EnvironmentFingerprint, type ResultsDocument } from '../results/types.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import { createRandom } from '../suites/harness/random.js';
import { runScenarios } from '../suites/scenario-runner.js';
import type { ScenarioDefinition, SuiteOptions } from '../suites/scenario.js';
import type { SeedData } from '../suites/seed.js';
import type { DataLayerUnderTest } from '../suites/subject.js';
import { tryCostPass } from './cost-pass.js';
import { acquireDatabase, type DatabaseTarget } from './database-target.js';
import { readFingerprint } from './fingerprint.js';
import { OWN_SUBJECT } from './own-subject.js';
import type { SuiteSubject } from './suite-subject.js';

export interface GateSessionOptions {
  /** DATABASE_URL of a server to create the run's database on; none = embedded PostgreSQL. */
  serverUrl?: string;
  /** The data layer's settings (config/settings.ts); the URL is the run's scratch database. */
  db: Readonly<DbTuning>;
  /** What is measured (default: this repository's own data layer, run/own-subject.ts). */
  subject?: SuiteSubject;
  keepDatabase: boolean;
  /** Users (rows) seeded before the scenarios (10,000 in a full run). */
  seedUsers: number;
  /** Seed of every random choice. */
  seed: number;
  suite: SuiteOptions;
  progress: ProgressReporter;
  log: (line: string) => void;
  /**
   * Rewrites the URL the data layer connects to (the verdict validation routes it through a fault
   * proxy to add latency); the raw `pg` calibration always connects directly.
   */
  connectThrough?: (url: string) => string;
  /**
   * Count the selected scenarios' operations (run/cost-pass.ts) before the first timed scenario
   * (default true). The re-run of flagged scenarios never counts them again.
   */
  costPass?: boolean;
}

/** Facts about the run that the session cannot know (the caller's git state and version). */
export interface RunLabel {
  gitSha?: string;
  gitRef?: string;
  toolVersion: string;
}

/**
 * One prepared database for a gate run: migrated, seeded, fingerprinted. `run` can be called more
 * than once (the confirmation re-run of flagged scenarios uses the same database).
 */
export class GateSession {
  /** Whether the cost pass ran (or was not wanted): it runs once, before the first scenario. */
  private costCounted = false;

  private constructor(
    private readonly target: DatabaseTarget,
    readonly db: DataLayerUnderTest,
    private readonly seedData: SeedData,
    private readonly fingerprint: EnvironmentFingerprint,
    private readonly options: GateSessionOptions,
    readonly setupMs: number,
  ) {}

  static async open(options: GateSessionOptions): Promise<GateSession> {
    const started = performance.now();
    const target = await acquireDatabase(options.serverUrl, options.keepDatabase);
    options.log(`database: ${target.description}`);
    const subject = options.subject ?? OWN_SUBJECT;
    let db: DataLayerUnderTest | undefined;
    try {
      const url = options.connectThrough ? options.connectThrough(target.url) : target.url;
      db = await subject.openDataLayer(Object.freeze({ ...subject.tuning(options.db), url }));
      const applied = await db.migrate();
      options.log(`migrations applied: ${applied.join(', ') || 'none'}`);
      const seedData = await subject.prepare(db, { seed: options.seed, rows: options.seedUsers }, options.log);
      const fingerprint = await readFingerprint(db);
      return new GateSession(target, db, seedData, fingerprint, { ...options, subject }, performance.now() - started);
    } catch (error) {
      await subject.close().catch(() => undefined);
      await db?.close().catch(() => undefined);
      await target.release().catch(() => undefined);
      throw error;
    }
  }

  /** Runs the scenarios (after a calibration round) and returns the results document. */
  async run(definitions: readonly ScenarioDefinition[], label: RunLabel): Promise<ResultsDocument> {
    const startedAt = new Date();
    const started = performance.now();
    const subject = this.options.subject ?? OWN_SUBJECT;
    const cost = await this.countCost(subject, definitions);
    const calibration = await subject.calibrate(this.db, this.target.url, this.seedData, String(startedAt.getTime()));
    const random = createRandom(this.options.seed);
    const reference = await subject.openReference(this.target.url, this.seedData);
    const { results, categoryMs } = await runScenarios(definitions, {
      db: this.db,
      openDataLayer: subject.openDataLayer,
      seed: this.seedData,
      ...subject.shared(this.seedData),
      random,
      options: this.options.suite,
      progress: this.options.progress,
      ...(reference ? { reference } : {}),
    }).finally(() => reference?.close());
    const categories = Object.fromEntries(Object.entries(categoryMs).map(([name, wallMs]) => [name, { wallMs }]));
    return {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      run: {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        ...(label.gitSha ? { gitSha: label.gitSha } : {}),
        ...(label.gitRef ? { gitRef: label.gitRef } : {}),
        toolVersion: label.toolVersion,
        seed: this.options.seed,
      },
      environment: this.fingerprint,
      calibration,
      timings: { setupMs: this.setupMs, categories, totalMs: this.setupMs + (performance.now() - started) },
      scenarios: results,
      ...(cost ? { cost } : {}),
    };
  }

  /**
   * The cost pass, on the first run only: after the seed, before calibration and the scenarios
   * write anything, so its reads count on the seeded data.
   */
  private async countCost(subject: SuiteSubject, definitions: readonly ScenarioDefinition[]): Promise<CostSection | undefined> {
    if (this.costCounted) return undefined;
    this.costCounted = true;
    if (this.options.costPass === false) return undefined;
    const selected = new Set(definitions.map((d) => d.id));
    return tryCostPass({ subject, db: this.db, seed: this.seedData, selected, log: this.options.log });
  }

  async close(): Promise<void> {
    try {
      await (this.options.subject ?? OWN_SUBJECT).close();
      await this.db.close();
    } finally {
      await this.target.release();
    }
  }
}
