import type { Settings } from '../config/settings.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { Thresholds } from '../verdict/thresholds.js';
import { DEFAULT_SUITE_OPTIONS } from '../suites/scenario.js';
import { runDuet, type DuetRequest } from './coordinator.js';
import type { DuetRun, DuetScenario } from './duet-types.js';
import { foldHeadRounds } from './fold-rounds.js';
import { ONCE_PER_ARM, ONCE_SIDE_BY_SIDE } from './round-plan.js';
import { judgeDuetScenario } from './paired-compare.js';

/**
 * Everything a duet run needs; the CLI fills it from flags. The coordinator's request (DuetRequest)
 * less what is derived here: `settings` are the run's, read once at the entry (the server the
 * workers use, none = an embedded PostgreSQL started here; the data layer's settings, the watchdog's
 * budget, the run's size), and `thresholds` decide the extension.
 */
export type DuetGateRequest = Pick<DuetRequest, 'arms' | 'armServerUrls' | 'selection' | 'rounds' | 'scenarioBudgetMs' | 'preparation' | 'watchdog' | 'progress' | 'log'> & {
  settings: Settings;
  thresholds: Thresholds;
};

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
    const { settings } = request;
    const embedded = settings.serverUrl ? undefined : await startEmbeddedPostgres();
    const serverUrl = settings.serverUrl ?? embedded!.url;
    if (embedded) request.log(`embedded PostgreSQL on port ${embedded.port} for both arms`);
    try {
      return await runDuet({
        arms: request.arms,
        serverUrl,
        ...(request.armServerUrls ? { armServerUrls: request.armServerUrls } : {}),
        settings: settings.db,
        suite: { ...DEFAULT_SUITE_OPTIONS, scale: settings.size.scale, scenarioTimeoutSeconds: settings.scenarioTimeoutSeconds },
        seed: settings.size.seed,
        seedUsers: settings.size.users,
        selection: request.selection,
        rounds: request.rounds,
        ...(request.scenarioBudgetMs === undefined ? {} : { scenarioBudgetMs: request.scenarioBudgetMs }),
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
