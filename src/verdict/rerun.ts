import { isWorseBeyondTolerance } from './judge-metric.js';
import { computeOutcome } from './outcome.js';
import type { Comparison, MetricVerdict, RelativeEvidence } from './types.js';

/** Scenario ids with a failing relative regression: the ones to re-run once before failing. */
export function listRerunScenarios(comparison: Comparison): string[] {
  const ids = comparison.verdicts
    .filter((v) => v.kind === 'regressed' && v.severity === 'fail')
    .map((v) => v.scenarioId);
  return [...new Set(ids)];
}

/**
 * Whether a re-run still shows the change: beyond the tolerance on the deciding view, or on either
 * view. The first run already gave the evidence; the re-run only has to show that the change did
 * not vanish, and one noisy reading of the machine's speed during the re-run (the calibrated view
 * divides by it) must not wipe out a change the raw numbers still show.
 */
function isStillWorse(relative: RelativeEvidence): boolean {
  return isWorseBeyondTolerance(relative) || relative.raw.worseBeyondTolerance || (relative.calibrated?.worseBeyondTolerance ?? false);
}

/**
 * The re-run's view of one regression. It holds when the re-run is again worse beyond the tolerance on
 * the deciding views (the evidence was already given by the first run); no value keeps it.
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
 * Merges the comparison of a re-run of the flagged scenarios into the original: a failing relative
 * regression fails only if it holds in the re-run; otherwise it becomes a warning. Everything else is
 * kept from the original. Pure.
 */
export function mergeRerun(original: Comparison, rerun: Comparison): Comparison {
  const verdicts = original.verdicts.map((v) =>
    v.kind === 'regressed' && v.severity === 'fail' ? confirmRegression(v, rerun) : v,
  );
  return { ...original, verdicts, outcome: computeOutcome(verdicts, original.failedChecks) };
}
