/**
 * Settings of the scenario runner itself (not of the data layer it tests), read from the
 * environment the same way as the data layer's: a bad value names the variable and the value.
 */
import { readNumber } from './db-settings.js';

/**
 * The watchdog's default budget per scenario, seconds. The slowest scenario takes well under a
 * minute at scale 1 (see the README); 300 s is also ten times the specification's 30 s pool and
 * operation timeouts, so a scenario that legitimately waits out one of them is never cut short,
 * while a hung one costs minutes instead of the job's timeout (6 hours on GitHub's runners).
 */
export const DEFAULT_SCENARIO_TIMEOUT_SECONDS = 300;

/** PERF_GATE_SCENARIO_TIMEOUT: the watchdog's budget per scenario, seconds (0.1 to 86400). */
export function readScenarioTimeoutSeconds(env: Readonly<Record<string, string | undefined>>): number {
  return readNumber(env, 'PERF_GATE_SCENARIO_TIMEOUT', DEFAULT_SCENARIO_TIMEOUT_SECONDS, 0.1, 86_400, false);
}
