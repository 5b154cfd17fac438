import { medianOf } from '../common/statistics.js';
import { estimateNoise } from './noise.js';
import type { ComparisonSettings, ResolvedRule } from './thresholds.js';
import type { RelativeEvidence, ViewEvidence } from './types.js';

/** One view of a metric: its history values and its current value. */
export interface ViewInput {
  history: readonly number[];
  current: number;
  /** Within-run standard error of the current value, when samples were recorded. */
  withinRunSe: number;
}

/** Everything needed to judge one metric relative to its history. */
export interface RelativeInput {
  raw: ViewInput;
  /** Null when the metric is not calibrated. */
  calibrated: ViewInput | null;
  rule: ResolvedRule;
  settings: ComparisonSettings;
}

/** Evaluates one view: practical size against tolerance and floor, and evidence against noise. */
function evaluateView(view: ViewInput, rule: ResolvedRule, settings: ComparisonSettings, useNoise: boolean): ViewEvidence {
  const baseline = medianOf(view.history);
  const change = view.current - baseline;
  const changePercent = baseline === 0 ? null : (change / Math.abs(baseline)) * 100;
  const sign = rule.direction === 'lower' ? 1 : -1;
  const worse = sign * change;
  const beyondPercent = changePercent === null || Math.abs(changePercent) > rule.tolerancePercent;
  const beyond = Math.abs(change) > rule.absoluteFloor && beyondPercent && change !== 0;
  const noise = useNoise ? estimateNoise(view.history, view.withinRunSe, settings.minNoisePercent).total : null;
  const z = noise === null ? null : noise === 0 ? (worse === 0 ? 0 : Math.sign(worse) * Infinity) : worse / noise;
  return {
    baseline,
    current: view.current,
    change,
    changePercent,
    noise,
    z,
    worseBeyondTolerance: beyond && worse > 0,
    betterBeyondTolerance: beyond && worse < 0,
  };
}

/** Builds the evidence for one metric (both views where there are two). */
export function buildRelativeEvidence(input: RelativeInput): RelativeEvidence {
  const { rule, settings } = input;
  const historyRuns = input.raw.history.length;
  const enough = historyRuns >= settings.minHistory;
  const decidedOn = input.calibrated === null ? 'raw' : settings.decideOn;
  return {
    mode: enough ? 'evidence' : 'tolerance-only',
    modeReason: enough
      ? null
      : `history has ${historyRuns} run${historyRuns === 1 ? '' : 's'}, fewer than ${settings.minHistory}: judged by tolerance alone`,
    historyRuns,
    raw: evaluateView(input.raw, rule, settings, enough),
    calibrated: input.calibrated && evaluateView(input.calibrated, rule, settings, enough),
    decidedOn,
    tolerancePercent: rule.tolerancePercent,
    absoluteFloor: rule.absoluteFloor,
    minEvidenceZ: settings.minEvidenceZ,
  };
}

/** Views that decide, per `decidedOn`. */
function decidingViews(evidence: RelativeEvidence): ViewEvidence[] {
  const { raw, calibrated, decidedOn } = evidence;
  if (decidedOn === 'raw' || calibrated === null) return [raw];
  return decidedOn === 'calibrated' ? [calibrated] : [raw, calibrated];
}

/**
 * The relative judgement. Worse (or better) needs a practical size on every deciding view, and
 * evidence beyond noise on at least one of them: the calibrated view is the quiet one when the runner's
 * speed moved, the raw one when the calibration itself was noisy.
 */
export function judgeRelative(evidence: RelativeEvidence): 'worse' | 'better' | 'same' {
  const views = decidingViews(evidence);
  const strongest = (sign: 1 | -1): number => Math.max(...views.map((v) => (v.z === null ? Infinity : sign * v.z)));
  if (views.every((v) => v.worseBeyondTolerance) && strongest(1) >= evidence.minEvidenceZ) return 'worse';
  if (views.every((v) => v.betterBeyondTolerance) && strongest(-1) >= evidence.minEvidenceZ) return 'better';
  return 'same';
}

/** The absolute limit a value breaks, if any: it must stay strictly below max and above min. */
export function findBreachedLimit(
  value: number,
  rule: ResolvedRule,
): { bound: 'max' | 'min'; value: number } | null {
  if (rule.max !== undefined && value >= rule.max) return { bound: 'max', value: rule.max };
  if (rule.min !== undefined && value <= rule.min) return { bound: 'min', value: rule.min };
  return null;
}
