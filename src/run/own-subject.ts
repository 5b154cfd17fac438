import { DataLayer } from '../db/data-layer.js';
import { projectCostOperations } from '../project/templates/cost-operations.js';
import { createRandom } from '../suites/harness/random.js';
import { seedDatabase } from '../suites/seed.js';
import { calibrate } from './calibrate.js';
import { findPgClientClass } from './pg-client-of.js';
import { openOwnDataLayer } from './own-data-layer.js';
import { ALL_SCENARIOS, OWN_SPECS } from './own-scenarios.js';
import { ReferenceProbe } from './reference-probe.js';
import type { SuiteSubject } from './suite-subject.js';

/**
 * perf-gate's own data layer (users, API keys, audit log) and its 51 scenarios: the server-side
 * fault function installed and the users seeded, the raw `pg` get-by-id as the reference.
 */
export const OWN_SUBJECT: SuiteSubject = Object.freeze({
  description: "perf-gate's own data layer",
  scenarios: ALL_SCENARIOS,
  openDataLayer: openOwnDataLayer,
  tuning: (run) => run,
  async prepare(db, size, log) {
    const seed = await seedDatabase(db, size.rows, createRandom(size.seed));
    log(`seeded ${size.rows} users (seed ${size.seed})`);
    return seed;
  },
  shared: (seed) => ({ data: seed, app: undefined }),
  calibrate,
  openReference: (rawUrl, seed) => ReferenceProbe.open(rawUrl, seed.live.slice(0, 200).map((u) => u.id)),
  costOperations: (seed) => projectCostOperations(OWN_SPECS, { data: seed, app: undefined }),
  async pgClientOf(db) {
    if (!(db instanceof DataLayer)) throw new Error("cost pass: perf-gate's own subject measures only its own data layer");
    return findPgClientClass(db.orm);
  },
  close: async () => undefined,
} satisfies SuiteSubject);
