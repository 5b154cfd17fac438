/**
 * The one gate run both entries share: set up the run's database, run the scenarios, judge them
 * against the history (re-running what is flagged), and clean up. The CLI and the action only turn
 * their flags or inputs into a GateRunRequest before, and report and publish the JudgedRun after.
 */
import type { Settings } from '../config/settings.js';
import type { ResultsDocument } from '../results/types.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import { DEFAULT_SUITE_OPTIONS, type ScenarioDefinition } from '../suites/scenario.js';
import type { Thresholds } from '../verdict/thresholds.js';
import { GateSession, type RunLabel } from './gate-session.js';
import { runAndJudge, type JudgedRun } from './pipeline.js';
import type { SuiteSubject } from './suite-subject.js';

/** The phases of a gate run that a caller may want to frame (the action opens a log group each). */
export type GatePhase = 'setup' | 'run';

/** Everything one gate run needs; the CLI and the action fill it from flags or inputs. */
export interface GateRunRequest {
  /** Read once by the entry: the server, the data layer's settings, the run's size (config/settings.ts). */
  settings: Settings;
  thresholds: Thresholds;
  definitions: readonly ScenarioDefinition[];
  /** Baseline runs, newest first. */
  history: readonly ResultsDocument[];
  label: RunLabel;
  progress: ProgressReporter;
  log: (line: string) => void;
  /** Wraps each phase (default: runs it as is). */
  phase?: <T>(name: GatePhase, work: () => Promise<T>) => Promise<T>;
  /** What is measured (default: this repository's own data layer). */
  subject?: SuiteSubject;
}

/**
 * Opens a gate session (scratch database, migrations, seed), runs and judges the scenarios, and
 * always closes the session and the progress display, whatever happened.
 */
export async function runGate(request: GateRunRequest): Promise<JudgedRun> {
  const phase = request.phase ?? (<T>(_name: GatePhase, work: () => Promise<T>) => work());
  const { settings } = request;
  try {
    const suite = { ...DEFAULT_SUITE_OPTIONS, scale: settings.size.scale, scenarioTimeoutSeconds: settings.scenarioTimeoutSeconds };
    const session = await phase('setup', () =>
      GateSession.open({
        serverUrl: settings.serverUrl,
        db: settings.db,
        keepDatabase: settings.keepDatabase,
        seedUsers: settings.size.users,
        seed: settings.size.seed,
        suite,
        progress: request.progress,
        log: request.log,
        ...(request.subject ? { subject: request.subject } : {}),
      }),
    );
    try {
      return await phase('run', () => runAndJudge({ ...request, session, confirmRerun: settings.confirmRerun }));
    } finally {
      await session.close();
    }
  } finally {
    request.progress.close();
  }
}
