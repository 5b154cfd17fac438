/**
 * What the validation scripts share: the settings they run with (thresholds.json's
 * `configuration` alone: the variables of the shell that starts them do not change the runs; a
 * fixed seed, the default scale), a silent progress reporter, their log lines and the dump of a
 * run's documents.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { ProgressReporter } from '../src/suites/harness/progress.js';
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

/** A run reports nothing of its scenarios: a validation prints one line per run. */
export const quietProgress: ProgressReporter = { scenarioStarted() {}, scenarioFinished() {}, categoryFinished() {}, close() {} };

export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The coordinator's and workers' lines: only what went wrong (a restart, a crash) is worth showing. */
export const duetLog = (line: string): void => {
  if (/restart|crash|hang|fail|error|killed|did not answer/i.test(line)) log(`  ${line}`);
};

/** Writes a run's documents to VALIDATE_DUMP when set. */
export async function dump(name: string, doc: unknown): Promise<void> {
  const dir = process.env.VALIDATE_DUMP;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/${name}.json`, JSON.stringify(doc));
}
