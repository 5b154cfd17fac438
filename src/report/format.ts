import type { Unit } from '../results/types.js';
import type { FailedCheck, MetricVerdict, PairedEvidence } from '../verdict/types.js';
import { formatConfidence } from '../verdict/paired.js';

const UNIT_SUFFIX: Readonly<Record<Unit, string>> = {
  ms: ' ms',
  s: ' s',
  'ops/s': ' ops/s',
  count: '',
  ratio: '',
  percent: '%',
  MB: ' MB',
};

/** A number with about three significant digits, trailing zeros dropped. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '-∞' : 'n/a';
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 0.01 ? 3 : 4;
  const text = value.toFixed(decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A value with its unit, e.g. `0.31 ms`. */
export function formatValue(value: number, unit: Unit | null): string {
  return `${formatNumber(value)}${unit ? UNIT_SUFFIX[unit] : ''}`;
}

/** A signed percentage, e.g. `+30.1%`; `new` when there was nothing to compare with. */
export function formatPercent(percent: number | null): string {
  if (percent === null) return 'from 0';
  const sign = percent > 0 ? '+' : '';
  return `${sign}${percent.toFixed(1)}%`;
}

/** A duration a reader takes in at a glance: `850 ms`, `12.3 s`, `4 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A signed value in the metric's unit: `+0.042 ms`. */
function formatSigned(value: number, unit: Unit | null): string {
  return `${value > 0 ? '+' : ''}${formatValue(value, unit)}`;
}

/**
 * The change of head against base: `+10.5% (+8.9% to +12.2%)` from the rounds, `+8 MB (+200.0%)`
 * for one value per arm, `–` without an estimate.
 */
export function formatPairedChange(paired: PairedEvidence, unit: Unit | null): string {
  if (paired.change === null) return '–';
  const { interval } = paired;
  if (paired.method === 'whole-run') return `${formatSigned(paired.change, unit)} (${formatPercent(paired.changePercent)})`;
  if (!interval) return formatPercent(paired.changePercent);
  if (paired.changePercent !== null && interval.lowPercent !== null && interval.highPercent !== null) {
    return `${formatPercent(paired.changePercent)} (${formatPercent(interval.lowPercent)} to ${formatPercent(interval.highPercent)})`;
  }
  return `${formatSigned(paired.change, unit)} (${formatSigned(interval.low, unit)} to ${formatSigned(interval.high, unit)})`;
}

/** The margin a change had to clear: `margin 5% / 0.01 ms`. */
function formatMargin(paired: PairedEvidence, unit: Unit | null): string {
  return `margin ${formatNumber(paired.tolerancePercent)}% / ${formatValue(paired.absoluteFloor, unit)}`;
}

/**
 * What a duet verdict rests on: `99.8% interval, 10 pairs; margin 5% / 0.01 ms`, and for an
 * inconclusive one which way it leans or why there is no estimate.
 */
export function formatPairedEvidence(paired: PairedEvidence, unit: Unit | null): string {
  const margin = formatMargin(paired, unit);
  if (paired.method === 'whole-run') return `one value per arm, tolerance and floor alone; ${margin}`;
  if (paired.change === null && paired.pairs <= 1) return 'one round per arm: not compared, the absolute limits and checks judge it';
  if (paired.change === null) return `inconclusive: ${paired.pairs} pairs, too few for an interval`;
  const confidence = paired.interval ? `${formatConfidence(paired.interval.confidence)} interval, ` : '';
  const pairs = `${confidence}${paired.pairs} pairs${paired.droppedPairs > 0 ? ` (${paired.droppedPairs} dropped)` : ''}`;
  const leaning = paired.outcome === 'inconclusive' ? `inconclusive, leaning ${paired.leaning}: the interval reaches inside the margin; ` : '';
  return `${leaning}${pairs}; ${margin}`;
}

/** A duet verdict's head-against-base evidence, when it has one. */
export function pairedOf(verdict: MetricVerdict): PairedEvidence | undefined {
  return 'paired' in verdict ? verdict.paired : undefined;
}

/** Whether the verdict compared the metric: with the history (relative) or head against base (paired). */
export function isCompared(verdict: MetricVerdict): boolean {
  return ('relative' in verdict && verdict.relative !== null) || pairedOf(verdict) !== undefined;
}

/**
 * The change: raw, and calibrated where there is one (`+30.0% (calibrated +28.1%)`); for a duet
 * verdict head against base with its interval (`+10.5% (+8.9% to +12.2%)`).
 */
export function formatChange(verdict: MetricVerdict): string {
  const paired = pairedOf(verdict);
  if (paired) return formatPairedChange(paired, verdict.unit);
  const relative = 'relative' in verdict ? verdict.relative : null;
  if (!relative) return '';
  const raw = formatPercent(relative.raw.changePercent);
  return relative.calibrated ? `${raw} (calibrated ${formatPercent(relative.calibrated.changePercent)})` : raw;
}

/** What the verdict rests on: noise units and tolerance, or the limit, or the fallback, or the pairs. */
export function formatEvidence(verdict: MetricVerdict): string {
  const paired = pairedOf(verdict);
  if (verdict.kind === 'breached') {
    const limit = `limit ${verdict.limit.bound === 'max' ? '<' : '>'} ${formatValue(verdict.limit.value, verdict.unit)}`;
    return paired ? `${limit}; head vs base: ${formatPairedEvidence(paired, verdict.unit)}` : limit;
  }
  if (paired) return formatPairedEvidence(paired, verdict.unit);
  if (!('relative' in verdict) || !verdict.relative) return '';
  const r = verdict.relative;
  const tolerance = `tolerance ${r.tolerancePercent}% / ${formatValue(r.absoluteFloor, verdict.unit)}`;
  if (r.mode === 'tolerance-only') return `${tolerance}; tolerance only (${r.historyRuns} runs)`;
  const view = r.decidedOn === 'raw' || !r.calibrated ? r.raw : r.calibrated;
  const z = view.z === null ? 'n/a' : formatNumber(view.z);
  const noise = view.noise === null ? 'n/a' : formatValue(view.noise, verdict.unit);
  return `z ${z} (noise ±${noise}, ${r.historyRuns} runs); ${tolerance}`;
}

/** The baseline a verdict was compared with (a duet's: the base arm's value), or a dash. */
export function formatBaseline(verdict: MetricVerdict): string {
  if (verdict.kind === 'missing') return verdict.baseline === null ? '–' : formatValue(verdict.baseline, verdict.unit);
  const paired = pairedOf(verdict);
  if (paired) return paired.base === null ? '–' : formatValue(paired.base, verdict.unit);
  if (!('relative' in verdict) || !verdict.relative) return '–';
  return formatValue(verdict.relative.raw.baseline, verdict.unit);
}

/** The current value of a verdict, or what stands in for it. */
export function formatCurrent(verdict: MetricVerdict): string {
  if (verdict.kind === 'missing') return 'missing';
  if (verdict.kind === 'errored') return `errored: ${verdict.error.name}: ${verdict.error.message}`;
  return formatValue(verdict.current, verdict.unit);
}

/** What became of a failed check: failing, or a timing check confirmed or cleared by its re-run. */
export function formatCheckOutcome(failed: FailedCheck): string {
  const kind = failed.check.timing ? 'timing check: ' : '';
  if (!failed.rerun) return `${kind}fails`;
  const again = String(failed.rerun.measured);
  return failed.severity === 'warn' ? `${kind}passed on the re-run (${again}), a warning` : `${kind}failed again on the re-run (${again})`;
}
