import type { FailOn } from '../config/action-inputs.js';
import type { OutcomeCounts } from '../verdict/types.js';

/** The `verdict` output. `errored` also covers a run that could not complete. */
export type ActionVerdict = 'pass' | 'regressed' | 'breached' | 'errored';

/** Names the outcome for the `verdict` output: the most serious finding wins. */
export function nameVerdict(counts: OutcomeCounts): ActionVerdict {
  if (counts.errored > 0) return 'errored';
  if (counts.breaches > 0 || counts.failedChecks > 0) return 'breached';
  if (counts.regressions > 0) return 'regressed';
  return 'pass';
}

/**
 * Whether the step fails, per `fail-on`, and why. `regression`: failing relative regressions,
 * absolute breaches, failed scenario checks or errored scenarios. `breach`: the same without
 * relative regressions. `never`: never (a run that cannot complete still fails, elsewhere).
 */
export function decideStepFailure(counts: OutcomeCounts, failOn: FailOn): string | undefined {
  if (failOn === 'never') return undefined;
  const reasons: string[] = [];
  if (counts.errored > 0) reasons.push(`${counts.errored} errored scenario(s)`);
  if (counts.breaches > 0) reasons.push(`${counts.breaches} breach(es) of an absolute limit`);
  if (counts.failedChecks > 0) reasons.push(`${counts.failedChecks} failed scenario check(s)`);
  if (failOn === 'regression' && counts.regressions > 0) reasons.push(`${counts.regressions} regression(s)`);
  if (reasons.length === 0) return undefined;
  return `perf-gate failed the step (fail-on: ${failOn}): ${reasons.join(', ')}`;
}
