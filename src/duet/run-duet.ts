import type { Thresholds } from '../config/thresholds.js';
import { readDbSettings } from '../config/db-settings.js';
import { readScenarioTimeoutSeconds } from '../config/runner-settings.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { RunSize } from '../gate/run-size.js';
import { buildSettingsEnv } from '../gate/settings-env.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import { DEFAULT_SUITE_OPTIONS } from '../suites/scenario.js';
import type { Selection } from '../suites/selection.js';
import type { WatchdogSettings } from './arm-runner.js';
import type { Arm } from './arms.js';
import { runDuet } from './coordinator.js';
import type { ArmName, DuetRun, DuetScenario } from './duet-types.js';
import { foldHeadRounds } from './fold-rounds.js';
import { ONCE_PER_ARM, ONCE_SIDE_BY_SIDE } from './round-plan.js';
import { judgeDuetScenario } from '../verdict/paired-compare.js';
import type { DataLayerSettings } from './protocol.js';

/** Everything a duet run needs; the CLI fills it from flags. */
export interface DuetGateRequest {
  arms: Record<ArmName, Arm>;
  /** DATABASE_URL of the server the workers use; none = an embedded PostgreSQL started here. */
  serverUrl: string | undefined;
  /** The process environment: data-layer variables set there override thresholds.json. */
  env: Readonly<Record<string, string | undefined>>;
  thresholds: Thresholds;
  selection: Selection;
  rounds: number;
  size: RunSize;
  preparation?: { headMs: number; baseMs: number };
  watchdog?: Partial<WatchdogSettings>;
  progress: ProgressReporter;
  log: (line: string) => void;
}

/** The data layer's settings as a single-arm run would use them (thresholds.json, then the environment). */
export function readDuetSettings(thresholds: Thresholds, env: DuetGateRequest['env'], serverUrl: string): DataLayerSettings {
  const { pool, retry, breaker, operationTimeoutSeconds } = readDbSettings(buildSettingsEnv(thresholds, env), serverUrl);
  return { pool, retry, breaker, operationTimeoutSeconds };
}

/**
 * Whether a scenario gets the extension: a metric whose regression fails regressed or leaned worse
 * on its rounds (judged as the final verdict will judge it). Says so in the log.
 */
export function decideExtension(thresholds: Thresholds, log: (line: string) => void): (scenario: DuetScenario) => boolean {
  return (scenario) => {
    const { flagged } = judgeDuetScenario(scenario, foldHeadRounds(scenario), thresholds);
    if (flagged.length > 0) log(`${scenario.id}: ${flagged.join(', ')} worse or leaning worse after ${scenario.rounds.length} rounds: running ${scenario.rounds.length} more`);
    return flagged.length > 0;
  };
}

/**
 * Runs a duet on DATABASE_URL's server or on an embedded PostgreSQL started for it (the workers
 * never start one), and always stops that server and the progress display.
 */
export async function runDuetGate(request: DuetGateRequest): Promise<DuetRun> {
  try {
    const embedded = request.serverUrl ? undefined : await startEmbeddedPostgres();
    const serverUrl = request.serverUrl ?? embedded!.url;
    if (embedded) request.log(`embedded PostgreSQL on port ${embedded.port} for both arms`);
    try {
      return await runDuet({
        arms: request.arms,
        serverUrl,
        settings: readDuetSettings(request.thresholds, request.env, serverUrl),
        suite: {
          ...DEFAULT_SUITE_OPTIONS,
          scale: request.size.scale,
          scenarioTimeoutSeconds: readScenarioTimeoutSeconds(buildSettingsEnv(request.thresholds, request.env)),
        },
        seed: request.size.seed,
        seedUsers: request.size.users,
        selection: request.selection,
        rounds: request.rounds,
        once: ONCE_PER_ARM,
        sideBySide: ONCE_SIDE_BY_SIDE,
        extend: decideExtension(request.thresholds, request.log),
        ...(request.watchdog ? { watchdog: request.watchdog } : {}),
        ...(request.preparation ? { preparation: request.preparation } : {}),
        progress: request.progress,
        log: request.log,
      });
    } finally {
      await embedded?.stop();
    }
  } finally {
    request.progress.close();
  }
}
