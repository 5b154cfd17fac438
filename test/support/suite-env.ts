import type { DbSettingsOverrides } from '../../src/db/settings.js';
import { openOwnDataLayer } from '../../src/run/own-data-layer.js';
import type { ProgressReporter } from '../../src/suites/harness/progress.js';
import { createRandom } from '../../src/suites/harness/random.js';
import type { RunnerEnvironment } from '../../src/suites/scenario-runner.js';
import { DEFAULT_SUITE_OPTIONS, type SuiteOptions } from '../../src/suites/scenario.js';
import { seedDatabase } from '../../src/suites/seed.js';
import { openTestDataLayer, type TestDataLayer } from './data-layer.js';

export const silentProgress: ProgressReporter = {
  scenarioStarted: () => undefined,
  scenarioFinished: () => undefined,
  categoryFinished: () => undefined,
  close: () => undefined,
};

export interface SuiteTestEnv {
  env: RunnerEnvironment;
  data: TestDataLayer;
  cleanup(): Promise<void>;
}

/**
 * A seeded database of its own and a runner environment at reduced size for category tests.
 * The gate's data layer keeps the default pool settings (10 + 5 overflow) unless `db` changes some.
 */
export async function openSuiteTestEnv(
  options: Partial<SuiteOptions> = {},
  users = 500,
  seed = 1234,
  db: DbSettingsOverrides = {},
): Promise<SuiteTestEnv> {
  const data = await openTestDataLayer(db);
  const random = createRandom(seed);
  const seedData = await seedDatabase(data.db, users, random, 300);
  const env: RunnerEnvironment = {
    db: data.db,
    openDataLayer: openOwnDataLayer,
    seed: seedData,
    random,
    options: { ...DEFAULT_SUITE_OPTIONS, scale: 0.2, ...options },
    progress: silentProgress,
  };
  return { env, data, cleanup: () => data.cleanup() };
}
