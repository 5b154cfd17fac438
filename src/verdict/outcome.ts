import type { CostComparison } from './cost-types.js';
import type { FailedCheck, MetricVerdict, Outcome, OutcomeCounts } from './types.js';

/**
 * The overall outcome: fail when any failing-severity regression, breach or errored scenario, or any
 * failed scenario check (a timing check that passed on its re-run only warns); improvements and
 * warnings never fail. Cost regressions count as regressions (or warnings, by their severity), cost
 * improvements as improvements, an operation the cost pass could not count as a warning.
 */
export function computeOutcome(verdicts: readonly MetricVerdict[], failedChecks: readonly FailedCheck[], cost?: CostComparison): Outcome {
  const counts: OutcomeCounts = {
    regressions: 0,
    breaches: 0,
    errored: 0,
    failedChecks: failedChecks.filter((f) => f.severity === 'fail').length,
    warnings: failedChecks.filter((f) => f.severity === 'warn').length,
    improvements: 0,
  };
  for (const verdict of verdicts) {
    const failing = verdict.severity === 'fail';
    if (verdict.kind === 'regressed') counts[failing ? 'regressions' : 'warnings'] += 1;
    else if (verdict.kind === 'breached') counts[failing ? 'breaches' : 'warnings'] += 1;
    else if (verdict.kind === 'errored') counts.errored += 1;
    else if (verdict.kind === 'improved') counts.improvements += 1;
  }
  for (const operation of cost?.operations ?? []) {
    if (operation.status === 'regressed') counts[operation.severity === 'fail' ? 'regressions' : 'warnings'] += 1;
    else if (operation.status === 'improved') counts.improvements += 1;
    else if (operation.status === 'errored') counts.warnings += 1;
  }
  const fails = counts.regressions + counts.breaches + counts.errored + counts.failedChecks > 0;
  return { kind: fails ? 'fail' : 'pass', ...counts };
}
