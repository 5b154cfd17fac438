import type { Thresholds } from '../config/thresholds.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The data layer's and the runner's settings for a gate run: the `configuration` section of
 * thresholds.json, under the data layer's variable names (README, Settings; and
 * PERF_GATE_SCENARIO_TIMEOUT for the watchdog), with any variable set in the environment taking
 * precedence (so a workflow can try a pool size without editing the file).
 */
export function buildSettingsEnv(thresholds: Thresholds, env: Env): Env {
  const { pool, breaker, retry, scenarioTimeoutSeconds } = thresholds.configuration;
  const fromFile: Record<string, string> = {
    DATABASE_POOL_SIZE: String(pool.size),
    DATABASE_MAX_OVERFLOW: String(pool.maxOverflow),
    DATABASE_POOL_TIMEOUT: String(pool.timeoutSeconds),
    CIRCUIT_BREAKER_FAILURE_THRESHOLD: String(breaker.failureThreshold),
    CIRCUIT_BREAKER_RECOVERY_TIMEOUT: String(breaker.recoveryTimeoutSeconds),
    MAX_RETRIES: String(retry.maxRetries),
    RETRY_DELAY: String(retry.delaySeconds),
    RETRY_BACKOFF: String(retry.backoff),
    PERF_GATE_SCENARIO_TIMEOUT: String(scenarioTimeoutSeconds),
  };
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') merged[name] = value;
  }
  return Object.freeze(merged);
}
