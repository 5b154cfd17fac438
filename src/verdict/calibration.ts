import { medianOf } from '../common/statistics.js';
import type { ResultsDocument, Unit } from '../results/types.js';

/** A run's machine-speed reference: raw `pg` get-by-id p50 (avg when p50 is missing), in ms. */
export function readSpeedReference(doc: ResultsDocument): number | null {
  const { p50, avg } = doc.calibration.rawGetById;
  const reference = p50 > 0 ? p50 : avg;
  return reference > 0 ? reference : null;
}

/** Median speed reference of the history runs that have one; null when none has. */
export function computeBaselineReference(history: readonly ResultsDocument[]): number | null {
  const references = history.map(readSpeedReference).filter((r): r is number => r !== null);
  return references.length === 0 ? null : medianOf(references);
}

/** How much slower a run's machine was than the history's (1.2 = 20 % slower); null when unknown. */
export function computeSpeedFactor(doc: ResultsDocument, baselineReference: number | null): number | null {
  const reference = readSpeedReference(doc);
  return reference === null || baselineReference === null ? null : reference / baselineReference;
}

/** Whether a unit scales with machine speed: latencies slow down, throughput drops. */
export function isCalibratedUnit(unit: Unit): boolean {
  return unit === 'ms' || unit === 'ops/s';
}

/** A value as it would be on the baseline's machine: latencies divided by the factor, throughput times it. */
export function calibrateValue(value: number, unit: Unit, factor: number): number {
  return unit === 'ops/s' ? value * factor : value / factor;
}
