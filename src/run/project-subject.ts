/**
 * A user's project as the gate's subject: their ORM on the scratch database (migrated with their
 * migrations), seeded by their seeder and seed function, set up by their setup hook, and their
 * perf file's scenarios, each wrapped with the session-leak checks.
 */
import type { SeedContext } from '../api/index.js';
import { DEFAULT_DB_SETTINGS } from '../db/settings.js';
import type { LoadedProject } from '../project/load-project.js';
import { ProjectLayer, tuningFromOptions, type ProjectSource } from '../project/project-layer.js';
import { projectCostOperations } from '../project/templates/cost-operations.js';
import { projectScenarios } from '../project/templates/index.js';
import { createRandom } from '../suites/harness/random.js';
import type { SeedData } from '../suites/seed.js';
import type { DataLayerUnderTest } from '../suites/subject.js';
import { findPgClientClass } from './pg-client-of.js';
import { calibrateProject, createCalibrationTable } from './project-calibrate.js';
import type { SuiteSubject } from './suite-subject.js';

/** A project has no users of perf-gate's: the scenarios read their `data` instead. */
const NO_SEED: SeedData = Object.freeze({ users: 0, live: [], deleted: [], domains: [], midpoint: new Date(0) });

/** The one ProjectLayer of a subject's prepared database (the one `prepare` got). */
function asProjectLayer(db: DataLayerUnderTest): ProjectLayer {
  if (!(db instanceof ProjectLayer)) throw new Error('a project subject prepares only its own data layer');
  return db;
}

/** Runs the project's seeder and seed function on the migrated database; returns the seed's `data`. */
async function seedProject(project: LoadedProject, layer: ProjectLayer, size: { seed: number; rows: number }): Promise<unknown> {
  const random = createRandom(size.seed);
  const { seeder, seed } = project.config;
  if (seeder) {
    await layer.withSession(async (s) => {
      await new seeder().run(s.em as unknown as SeedContext['em'], { seed: size.seed, random, rows: size.rows });
      await (s.em as unknown as SeedContext['em']).flush();
    });
  }
  if (!seed) return undefined;
  return layer.write((s) => Promise.resolve(seed({ em: s.em as unknown as SeedContext['em'], random, seed: size.seed, rows: size.rows })));
}

/** The subject of a loaded project. */
export function projectSubject(project: LoadedProject): SuiteSubject {
  const state: { data: unknown; app: unknown } = { data: undefined, app: undefined };
  const source: ProjectSource = project.source;
  let built = false;
  return {
    description: `${project.perfFile} (MikroORM ${source.modules.version}, config ${project.configFrom})`,
    scenarios: projectScenarios(project.specs),
    openDataLayer: (settings) => ProjectLayer.open(source, settings),
    tuning: (run) => tuningFromOptions(source.options, { ...DEFAULT_DB_SETTINGS, operationTimeoutSeconds: run.operationTimeoutSeconds }, source.modules.version),
    async prepare(db, size, log) {
      const layer = asProjectLayer(db);
      state.data = await seedProject(project, layer, size);
      log(`seeded (seed ${size.seed}, rows ${size.rows})`);
      await createCalibrationTable(layer);
      await layer.withSession((s) => s.em.execute('vacuum analyze'));
      const setup = project.config.setup;
      if (setup) {
        state.app = await setup({ orm: layer.orm as never, data: state.data, databaseUrl: layer.settings.url });
        built = true;
      }
      return NO_SEED;
    },
    shared: () => ({ data: state.data, app: state.app }),
    calibrate: (db, rawUrl) => calibrateProject(db, rawUrl),
    openReference: async () => undefined,
    costOperations: () => projectCostOperations(project.specs, { data: state.data, app: state.app }),
    pgClientOf: (db) => findPgClientClass(asProjectLayer(db).orm),
    async close() {
      if (built && project.config.teardown) await project.config.teardown(state.app);
      built = false;
    },
  };
}
