/**
 * The settings both validation scripts run with: thresholds.json's `configuration` alone (the
 * variables of the shell that starts them do not change the runs), a fixed seed, the default scale.
 */
import { readEnvSettings, resolveSettings, type Settings } from '../src/config/settings.js';
import { DEFAULT_SUITE_OPTIONS } from '../src/suites/scenario.js';
import type { Thresholds } from '../src/verdict/thresholds.js';

/** The seed of every validation run, so runs differ only in the machine's moment. */
export const VALIDATION_SEED = 20261129;

export function resolveValidationSettings(thresholds: Thresholds, serverUrl: string, users: number): Settings {
  return resolveSettings(readEnvSettings({}), thresholds.configuration, {
    serverUrl,
    size: { users, scale: DEFAULT_SUITE_OPTIONS.scale, seed: VALIDATION_SEED },
    confirmRerun: thresholds.confirmRerun,
    keepDatabase: false,
  });
}
