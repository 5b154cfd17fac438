import type { EnvironmentFingerprint, ResultsDocument } from '../results/types.js';
import type { FingerprintDifference } from './types.js';

const FIELDS: readonly { field: FingerprintDifference['field']; read: (e: EnvironmentFingerprint) => number }[] = [
  { field: 'postgres.major', read: (e) => e.postgres.major },
  { field: 'cpu.count', read: (e) => e.cpu.count },
  { field: 'node.major', read: (e) => e.node.major },
];

/** The parts of the environment that must match for a like-for-like comparison, as one key. */
export function describeFingerprint(environment: EnvironmentFingerprint): string {
  return FIELDS.map(({ field, read }) => `${field}=${read(environment)}`).join(' ');
}

/** Fields where `current` differs from `baseline`. */
export function diffFingerprints(
  baseline: EnvironmentFingerprint,
  current: EnvironmentFingerprint,
): FingerprintDifference[] {
  return FIELDS.filter(({ read }) => read(baseline) !== read(current)).map(({ field, read }) => ({
    field,
    baseline: read(baseline),
    current: read(current),
  }));
}

/** The environment most history runs share (the newest one among equals). */
function findCommonEnvironment(history: readonly ResultsDocument[]): EnvironmentFingerprint | null {
  const counts = new Map<string, { count: number; environment: EnvironmentFingerprint }>();
  for (const run of history) {
    const key = describeFingerprint(run.environment);
    const entry = counts.get(key) ?? { count: 0, environment: run.environment };
    entry.count += 1;
    counts.set(key, entry);
  }
  let best: { count: number; environment: EnvironmentFingerprint } | null = null;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.environment ?? null;
}

/** The history to compare against and how it differs from the current environment. */
export interface HistorySelection {
  runs: ResultsDocument[];
  differences: FingerprintDifference[];
  excludedRuns: number;
}

/**
 * Compares like with like: when at least `minHistory` runs share the current fingerprint, only those
 * are used; otherwise all are, and the differences from the most common fingerprint are reported.
 */
export function selectHistory(
  history: readonly ResultsDocument[],
  current: EnvironmentFingerprint,
  minHistory: number,
): HistorySelection {
  const key = describeFingerprint(current);
  const matching = history.filter((run) => describeFingerprint(run.environment) === key);
  if (matching.length >= minHistory || matching.length === history.length) {
    return { runs: matching, differences: [], excludedRuns: history.length - matching.length };
  }
  const common = findCommonEnvironment(history);
  return { runs: [...history], differences: common ? diffFingerprints(common, current) : [], excludedRuns: 0 };
}
