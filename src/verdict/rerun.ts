import type { ResultsDocument } from '../results/types.js';
import { computeOutcome } from './outcome.js';
import type { Comparison, FailedCheck, MetricVerdict, RelativeEvidence } from './types.js';

const isFailedTimingCheck = (failed: FailedCheck): boolean => failed.check.timing === true && failed.severity === 'fail';

/**
 * Scenario ids to re-run once before failing: those with a failing relative regression or a failed
 * timing check (one that compares durations measured in the run, which a busy machine can fail).
 */
export function listRerunScenarios(comparison: Comparison): string[] {
  const regressed = comparison.verdicts.filter((v) => v.kind === 'regressed' && v.severity === 'fail').map((v) => v.scenarioId);
  const timing = comparison.failedChecks.filter(isFailedTimingCheck).map((f) => f.scenarioId);
  return [...new Set([...regressed, ...timing])];
}

/**
 * Evidence the re-run must show, in noise units. Lower than the first run's `minEvidenceZ` (2.5): the
 * re-run is a second, independent test of a change the first run already found, so both together are
 * far stronger than either. Measured on recorded runs of this machine (the next run standing in for
 * the re-run): with 2, A/A runs of the full gate with a failing regression went from 11 to 6 in 20,
 * while A/B (+24% on get-by-id) stayed caught in 18 of 20; a +30% change is kept in 20 of 20
 * synthetic runs.
 */
export const RERUN_EVIDENCE_Z = 2;

/**
 * Whether one view of the re-run, raw or calibrated, is worse again: beyond the tolerance and with
 * RERUN_EVIDENCE_Z beyond the history's noise. Either view will do: one noisy reading of the
 * machine's speed during the re-run (the calibrated view divides by it) must not wipe out a change the
 * raw numbers still show with evidence.
 */
function isStillWorse(relative: RelativeEvidence): boolean {
  const views = [relative.raw, relative.calibrated].filter((v) => v !== null);
  return views.some((v) => v.worseBeyondTolerance && (v.z === null || v.z >= RERUN_EVIDENCE_Z));
}

/**
 * The re-run's view of one regression. It holds when the re-run is a regression again (see
 * isStillWorse); a re-run that gave no value keeps it. A change that shows only once, or only within
 * the history's noise, is what a slow moment of a shared runner looks like.
 */
function confirmRegression(verdict: Extract<MetricVerdict, { kind: 'regressed' }>, rerun: Comparison): MetricVerdict {
  const again = rerun.verdicts.find((v) => v.scenarioId === verdict.scenarioId && v.metric === verdict.metric);
  if (!again || again.kind === 'errored' || again.kind === 'missing') {
    return { ...verdict, notes: [...verdict.notes, 're-run gave no value for this metric: regression kept'] };
  }
  const relative = 'relative' in again ? again.relative : null;
  const held = again.kind === 'regressed' || (relative !== null && isStillWorse(relative));
  const changePercent = relative?.raw.changePercent ?? null;
  const rerunInfo = { held, current: again.current, changePercent };
  if (held) return { ...verdict, rerun: rerunInfo, notes: [...verdict.notes, 'held on the re-run'] };
  return {
    ...verdict,
    severity: 'warn',
    rerun: rerunInfo,
    notes: [...verdict.notes, 'did not hold on the re-run: downgraded to a warning'],
  };
}

/**
 * The re-run's view of one failed timing check: it fails only if the re-run fails it again or did not
 * measure it (the scenario errored or is absent); a pass on the re-run makes it a warning.
 */
function confirmTimingCheck(failed: FailedCheck, again: ResultsDocument): FailedCheck {
  const scenario = again.scenarios.find((s) => s.id === failed.scenarioId);
  const check = scenario?.status === 'errored' ? undefined : scenario?.checks.find((c) => c.name === failed.check.name);
  if (!check) return failed;
  return { ...failed, severity: check.passed ? 'warn' : 'fail', rerun: { passed: check.passed, measured: check.measured } };
}

/**
 * Merges the re-run of the flagged scenarios (`again`, and its comparison `rerun`) into the original:
 * a failing relative regression fails only if it holds in the re-run, a failed timing check only if
 * the re-run fails it too; otherwise they become warnings. Everything else is kept from the original.
 * Pure.
 */
export function mergeRerun(original: Comparison, rerun: Comparison, again: ResultsDocument): Comparison {
  const verdicts = original.verdicts.map((v) =>
    v.kind === 'regressed' && v.severity === 'fail' ? confirmRegression(v, rerun) : v,
  );
  const failedChecks = original.failedChecks.map((f) => (isFailedTimingCheck(f) ? confirmTimingCheck(f, again) : f));
  return { ...original, verdicts, failedChecks, outcome: computeOutcome(verdicts, failedChecks, original.cost) };
}
