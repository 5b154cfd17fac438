/**
 * `perf-gate run`, before it touches a database: the thresholds, the settings (flags and the
 * environment over thresholds.json's `configuration`), the scenarios, and the local baseline
 * history. Bad input throws here (UsageError, SettingError, SelectionError), so it exits 2 before a
 * server is started.
 */
import { existsSync } from 'node:fs';
import { readEnvSettings, resolveSettings, type Settings } from '../config/settings.js';
import { loadThresholds, parseThresholds } from '../config/thresholds.js';
import { loadProject } from '../project/load-project.js';
import { LocalDirectoryStore } from '../publish/local-store.js';
import type { ResultsDocument } from '../results/types.js';
import { OWN_SUBJECT } from '../run/own-subject.js';
import { projectSubject } from '../run/project-subject.js';
import type { SuiteSubject } from '../run/suite-subject.js';
import type { ScenarioDefinition } from '../suites/scenario.js';
import { selectScenarios } from '../suites/selection.js';
import type { Thresholds } from '../verdict/thresholds.js';
import { readFlag } from './flags.js';
import type { RunFlags } from './run-flags.js';

export interface RunPlan {
  flags: RunFlags;
  thresholds: Thresholds;
  settings: Settings;
  /** What is measured: the project's perf file, or perf-gate's own data layer. */
  subject: SuiteSubject;
  /** The project, when the run measures one (its folder and perf file, absolute). */
  project?: { dir: string; perfFile: string };
  definitions: ScenarioDefinition[];
}

/** Where the entry is: the TypeScript loader's module hooks are built next to it. */
export interface EntryFiles {
  hooksFile: string;
  /** The duet worker built next to the entry (dist/worker.js): both arms of a project's duet run it. */
  workerFile: string;
}

/**
 * The subject of the run: the project in the working directory when it has a perf file (or
 * --perf names one), else perf-gate's own data layer.
 */
async function planSubject(flags: RunFlags, env: NodeJS.ProcessEnv, entry: EntryFiles): Promise<Pick<RunPlan, 'subject' | 'project'>> {
  const project = await loadProject({
    projectDir: process.cwd(),
    ...(flags.perf !== undefined ? { perfFile: flags.perf } : {}),
    hooksFile: entry.hooksFile,
    ...(env.MIKRO_ORM_CLI_CONFIG ? { configFromEnv: env.MIKRO_ORM_CLI_CONFIG } : {}),
  });
  if (!project) return { subject: OWN_SUBJECT };
  return { subject: projectSubject(project), project: { dir: project.projectDir, perfFile: project.perfFile } };
}

/** Reads and checks everything the run is configured with; `env` is read here and nowhere below. */
export async function planRun(flags: RunFlags, env: NodeJS.ProcessEnv, entry: EntryFiles): Promise<RunPlan> {
  const { subject, project } = await planSubject(flags, env, entry);
  const ids = subject === OWN_SUBJECT ? undefined : subject.scenarios.map((d) => d.id);
  const path = flags.thresholds;
  // A project's thresholds.json is optional: without one its scenarios keep their own criteria.
  const thresholds =
    ids && !existsSync(path)
      ? parseThresholds({}, `defaults (no ${path})`, ids)
      : await readFlag('thresholds', path, () => loadThresholds(path, ids));
  const fromEnv = readEnvSettings(env);
  const settings = resolveSettings(fromEnv, thresholds.configuration, {
    serverUrl: fromEnv.databaseUrl,
    size: { users: flags.users, scale: flags.scale, seed: flags.seed },
    confirmRerun: thresholds.confirmRerun && !flags['no-confirm-rerun'],
    keepDatabase: flags['keep-database'],
  });
  const definitions = selectScenarios(subject.scenarios, { categories: flags.categories, scenarios: flags.scenarios });
  return { flags, thresholds, settings, subject, ...(project ? { project } : {}), definitions };
}

/** The baseline store of --baseline, and the newest runs of --baseline-branch in it. */
export async function readLocalHistory(
  plan: RunPlan,
  log: (line: string) => void,
): Promise<{ store: LocalDirectoryStore; runs: ResultsDocument[] }> {
  const branch = plan.flags['baseline-branch'];
  const store = new LocalDirectoryStore(plan.flags.baseline);
  const history = await store.readHistory({ branch, limit: plan.thresholds.history });
  for (const skipped of history.skipped) log(`warning: skipped stored run ${skipped.location}: ${skipped.reason}`);
  log(`baseline: ${history.runs.length} run(s) of '${branch}' in ${store.description}`);
  return { store, runs: history.runs };
}
