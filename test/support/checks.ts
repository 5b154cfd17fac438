import type { ScenarioResult } from '../../src/results/types.js';

/**
 * The failures a test of a scenario asserts away: every failed check except a timing check that was
 * measured. A timing check compares durations of this run (a latency ratio, a deadline); on a shared
 * 2-core machine running several test files at once its outcome is the machine's, not the code's, so
 * the gate re-runs such a scenario before failing and the tests only require the value to exist.
 * A timing check that could not be measured ('not measured') still counts as a failure.
 */
export function untimedFailures(r: ScenarioResult): string[] {
  if (r.status === 'errored') return [`${r.id}: ${r.error.message}`];
  return r.checks
    .filter((c) => !c.passed && !(c.timing === true && c.measured !== 'not measured'))
    .map((c) => `${r.id}: ${c.name} = ${String(c.measured)}, expected ${c.expected}`);
}
