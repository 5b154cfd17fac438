/** What made a comparison fail, for the verdict validation scripts. */
import type { Comparison } from '../src/verdict/types.js';

/** Failing relative regressions, as `scenario metric`. */
export function failingRegressions(comparison: Comparison): string[] {
  return comparison.verdicts.filter((v) => v.kind === 'regressed' && v.severity === 'fail').map((v) => `${v.scenarioId} ${v.metric}`);
}

/** Why a run's outcome failed, beyond relative regressions: breaches, failed checks, errors. */
export function otherFailures(comparison: Comparison): string[] {
  const verdicts = comparison.verdicts
    .filter((v) => (v.kind === 'breached' && v.severity === 'fail') || v.kind === 'errored')
    .map((v) => `${v.kind} ${v.scenarioId} ${v.metric}`);
  const checks = comparison.failedChecks.filter((f) => f.severity === 'fail').map((f) => `check ${f.scenarioId} ${f.check.name}=${String(f.check.measured)}`);
  return [...verdicts, ...checks];
}
