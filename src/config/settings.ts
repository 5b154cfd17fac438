/**
 * The settings of one gate run, read once at the entry and passed down as one typed, frozen object:
 * where the database server is, the data layer's settings, the watchdog's budget, the run's size and
 * whether flagged scenarios are re-run. Each value comes from the first source that sets it: an
 * environment variable, then thresholds.json's `configuration`, then the default (db/settings.ts,
 * suites/scenario.ts). Nothing below the entries reads the environment.
 */
import { DEFAULT_DB_SETTINGS as DEFAULT_TUNING, type DbSettingsOverrides, type DbTuning } from '../db/settings.js';
import { SCENARIO_TIMEOUT_BOUNDS } from '../suites/scenario.js';
import type { ConfigurationSettings } from '../verdict/thresholds.js';
import { readDatabaseUrl, readDbEnv } from './db-env.js';
import { readEnvNumber, type RunSize } from './run-size.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What the environment says about a gate run: only what is set, each value checked. */
export interface EnvSettings {
  /** DATABASE_URL (the CLI's server; the action takes its `database-url` input instead). */
  readonly databaseUrl: string | undefined;
  /** The data layer's variables that are set (DATABASE_POOL_SIZE, MAX_RETRIES, ...). */
  readonly db: DbSettingsOverrides;
  /** PERF_GATE_SCENARIO_TIMEOUT, when set. */
  readonly scenarioTimeoutSeconds: number | undefined;
}

/** Everything a gate run is configured with, besides the thresholds, scenarios and history. */
export interface Settings {
  /** The server to create the run's database on; undefined: an embedded PostgreSQL. */
  readonly serverUrl: string | undefined;
  /** The data layer's settings; the URL is the run's scratch database, known once it exists. */
  readonly db: Readonly<DbTuning>;
  /** The watchdog's budget per scenario, seconds (times the scale above 1). */
  readonly scenarioTimeoutSeconds: number;
  readonly size: Readonly<RunSize>;
  /** Re-run flagged scenarios once before failing (thresholds.json's `confirmRerun` and the caller's switch). */
  readonly confirmRerun: boolean;
  /** Keep the run's database instead of dropping it (the CLI's --keep-database). */
  readonly keepDatabase: boolean;
}

/**
 * Reads and checks every variable a gate run honours, before anything is started: a bad value is a
 * SettingError naming the variable. Read once, by the entry.
 */
export function readEnvSettings(env: Env): EnvSettings {
  return Object.freeze({
    databaseUrl: readDatabaseUrl(env),
    db: readDbEnv(env),
    scenarioTimeoutSeconds: readEnvNumber(env, 'PERF_GATE_SCENARIO_TIMEOUT', SCENARIO_TIMEOUT_BOUNDS),
  });
}

/** The entry's choices that come from flags or inputs rather than the environment. */
export interface RunChoices {
  serverUrl: string | undefined;
  size: RunSize;
  confirmRerun: boolean;
  keepDatabase: boolean;
}

/**
 * The run's settings: the environment's values over thresholds.json's `configuration` (which has
 * the defaults filled in) over the data layer's own defaults for what the file does not hold.
 */
export function resolveSettings(env: EnvSettings, configuration: Readonly<ConfigurationSettings>, choices: RunChoices): Settings {
  const { pool, retry, breaker } = env.db;
  const db: DbTuning = Object.freeze({
    pool: Object.freeze({ ...DEFAULT_TUNING.pool, ...configuration.pool, ...pool }),
    retry: Object.freeze({ ...DEFAULT_TUNING.retry, ...configuration.retry, ...retry }),
    breaker: Object.freeze({ ...DEFAULT_TUNING.breaker, ...configuration.breaker, ...breaker }),
    operationTimeoutSeconds: env.db.operationTimeoutSeconds ?? DEFAULT_TUNING.operationTimeoutSeconds,
  });
  return Object.freeze({
    serverUrl: choices.serverUrl,
    db,
    scenarioTimeoutSeconds: env.scenarioTimeoutSeconds ?? configuration.scenarioTimeoutSeconds,
    size: Object.freeze({ ...choices.size }),
    confirmRerun: choices.confirmRerun,
    keepDatabase: choices.keepDatabase,
  });
}
