import { readScenarioTimeoutSeconds } from '../config/runner-settings.js';
import type { Thresholds } from '../config/thresholds.js';
import type { ResultsDocument } from '../results/types.js';
import type { ProgressReporter } from '../suites/harness/progress.js';
import { DEFAULT_SUITE_OPTIONS, type ScenarioDefinition } from '../suites/scenario.js';
import { GateSession, type RunLabel } from './gate-session.js';
import { runAndJudge, type JudgedRun } from './pipeline.js';
import type { RunSize } from './run-size.js';
import { buildSettingsEnv } from './settings-env.js';

/** The phases of a gate run that a caller may want to frame (the action opens a log group each). */
export type GatePhase = 'setup' | 'run';

/** Everything one gate run needs; the CLI and the action fill it from flags or inputs. */
export interface GateRunRequest {
  /** DATABASE_URL of the server to create the run's database on; none = embedded PostgreSQL. */
  serverUrl: string | undefined;
  /** The process environment: pool, retry and breaker variables set there override thresholds.json. */
  env: Readonly<Record<string, string | undefined>>;
  thresholds: Thresholds;
  definitions: readonly ScenarioDefinition[];
  /** Baseline runs, newest first. */
  history: readonly ResultsDocument[];
  label: RunLabel;
  confirmRerun: boolean;
  size: RunSize;
  keepDatabase: boolean;
  progress: ProgressReporter;
  log: (line: string) => void;
  /** Wraps each phase (default: runs it as is). */
  phase?: <T>(name: GatePhase, work: () => Promise<T>) => Promise<T>;
}

/**
 * Opens a gate session (scratch database, migrations, seed), runs and judges the scenarios, and
 * always closes the session and the progress display, whatever happened.
 */
export async function runGate(request: GateRunRequest): Promise<JudgedRun> {
  const phase = request.phase ?? (<T>(_name: GatePhase, work: () => Promise<T>) => work());
  try {
    const env = buildSettingsEnv(request.thresholds, request.env);
    const suite = { ...DEFAULT_SUITE_OPTIONS, scale: request.size.scale, scenarioTimeoutSeconds: readScenarioTimeoutSeconds(env) };
    const session = await phase('setup', () =>
      GateSession.open({
        serverUrl: request.serverUrl,
        env,
        keepDatabase: request.keepDatabase,
        seedUsers: request.size.users,
        seed: request.size.seed,
        suite,
        progress: request.progress,
        log: request.log,
      }),
    );
    try {
      return await phase('run', () => runAndJudge({ ...request, session }));
    } finally {
      await session.close();
    }
  } finally {
    request.progress.close();
  }
}
