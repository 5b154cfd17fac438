/**
 * `perf-gate run`, before it touches a database: the thresholds, the settings (flags and the
 * environment over thresholds.json's `configuration`), the scenarios, and the local baseline
 * history. Bad input throws here (UsageError, SettingError, SelectionError), so it exits 2 before a
 * server is started.
 */
import { readEnvSettings, resolveSettings, type Settings } from '../config/settings.js';
import { loadThresholds } from '../config/thresholds.js';
import { LocalDirectoryStore } from '../publish/local-store.js';
import type { ResultsDocument } from '../results/types.js';
import { ALL_SCENARIOS } from '../suites/registry.js';
import type { ScenarioDefinition } from '../suites/scenario.js';
import { selectScenarios } from '../suites/selection.js';
import type { Thresholds } from '../verdict/thresholds.js';
import { readFlag } from './flags.js';
import type { RunFlags } from './run-flags.js';

export interface RunPlan {
  flags: RunFlags;
  thresholds: Thresholds;
  settings: Settings;
  definitions: ScenarioDefinition[];
}

/** Reads and checks everything the run is configured with; `env` is read here and nowhere below. */
export async function planRun(flags: RunFlags, env: NodeJS.ProcessEnv): Promise<RunPlan> {
  const path = flags.thresholds;
  const thresholds = await readFlag('thresholds', path, () => loadThresholds(path));
  const fromEnv = readEnvSettings(env);
  const settings = resolveSettings(fromEnv, thresholds.configuration, {
    serverUrl: fromEnv.databaseUrl,
    size: { users: flags.users, scale: flags.scale, seed: flags.seed },
    confirmRerun: thresholds.confirmRerun && !flags['no-confirm-rerun'],
    keepDatabase: flags['keep-database'],
  });
  const definitions = selectScenarios(ALL_SCENARIOS, { categories: flags.categories, scenarios: flags.scenarios });
  return { flags, thresholds, settings, definitions };
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
