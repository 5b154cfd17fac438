/**
 * What a gate run measures: a data layer, how to open it, how to prepare its scratch database
 * (after the migrations) and how to time its machine-speed reference. perf-gate's own data layer
 * (run/own-subject.ts) and a user's project (run/project-subject.ts) are the two subjects; the
 * gate session, the runner and the verdict do not know which one they have.
 */
import type { PgClientClass } from '../cost/pg-client-shape.js';
import type { DbTuning } from '../db/settings.js';
import type { Calibration } from '../results/types.js';
import type { CostOperation } from '../suites/cost-operation.js';
import type { ReferenceSampler, ScenarioDefinition } from '../suites/scenario.js';
import type { SeedData } from '../suites/seed.js';
import type { DataLayerUnderTest, OpenDataLayer } from '../suites/subject.js';

/** A reference sampler that holds a connection until closed. */
export interface Reference extends ReferenceSampler {
  close(): Promise<void>;
}

export interface SuiteSubject {
  /** For the log: what is measured. */
  readonly description: string;
  /** Every scenario the subject has, in run order. */
  readonly scenarios: readonly ScenarioDefinition[];
  readonly openDataLayer: OpenDataLayer;
  /** The data layer's settings for this run: the run's (thresholds.json, environment), or the subject's own. */
  tuning(run: DbTuning): DbTuning;
  /** Fills the migrated scratch database (seeded from `seed`, `rows` rows) and builds what the scenarios need. */
  prepare(db: DataLayerUnderTest, size: { seed: number; rows: number }, log: (line: string) => void): Promise<SeedData>;
  /**
   * What the operations of the subject's templates get besides their EntityManager: the perf
   * file's `data` (what its seed returned; perf-gate's own is `seed`) and `app` (what setup built).
   */
  shared(seed: SeedData): { data: unknown; app: unknown };
  /** Raw `pg` timings next to the data layer's (the results document's calibration). */
  calibrate(db: DataLayerUnderTest, rawUrl: string, seed: SeedData, tag: string): Promise<Calibration>;
  /** The per-scenario machine-speed reference, when the subject has one. */
  openReference(rawUrl: string, seed: SeedData): Promise<Reference | undefined>;
  /** The operations the cost pass counts on the prepared database (`seed`: what `prepare` returned). */
  costOperations(seed: SeedData): readonly CostOperation[];
  /** The `pg` Client class `db` (opened by `openDataLayer`) sends its statements through: the cost pass wraps it. */
  pgClientOf(db: DataLayerUnderTest): Promise<PgClientClass>;
  /** Closes what `prepare` built (before the data layer closes). */
  close(): Promise<void>;
}
