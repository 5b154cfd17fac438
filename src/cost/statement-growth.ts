/**
 * The N+1 check, which needs no baseline: the same operation measured at two or more sizes (rows
 * seeded, page size, items in a batch) must send as many statements at the larger size as at the
 * smaller one. n_plus_one_control's rule, with exact counts. A fingerprint repeated within one call
 * is shown too (prosopite's signal), as information only: a loop of the same lookup is sometimes
 * what the code means.
 */
import type { StatementRef } from './cost-findings.js';
import type { CostRecord } from './cost-record.js';
import { countFingerprints, worstCounts } from './record-views.js';

/** An operation's record at one size. */
export interface SizedCostRecord {
  /** The size the operation ran at (rows, page size, batch size). */
  readonly size: number;
  readonly record: CostRecord;
}

/** A statement whose count differs between sizes, with its count at each. */
export interface GrowingStatement extends StatementRef {
  readonly times: readonly [number, number];
}

/** One finding of the size check. */
export type GrowthFinding =
  | {
      readonly kind: 'statements-grow';
      readonly severity: 'regression';
      readonly operation: string;
      readonly sizes: readonly [number, number];
      readonly statements: readonly [number, number];
      readonly roundTrips: readonly [number, number];
      /** The fingerprints sent more often at the larger size. */
      readonly growing: readonly GrowingStatement[];
    }
  | {
      readonly kind: 'repeated-statement';
      readonly severity: 'info';
      readonly operation: string;
      readonly size: number | null;
      readonly statement: StatementRef;
      /** The most times it was sent in one call. */
      readonly times: number;
    };

/** The most times each non-transaction-control fingerprint occurs in one call of the record. */
function maxTimes(record: CostRecord): Map<string, { ref: StatementRef; times: number }> {
  const most = new Map<string, { ref: StatementRef; times: number }>();
  for (const call of record.calls) {
    // BEGIN, COMMIT and SAVEPOINT repeat by design (savepoint names are folded into one fingerprint).
    const counted = countFingerprints(call.sequence.filter((s) => s.kind !== 'transaction'));
    for (const [fingerprint, entry] of counted) {
      const known = most.get(fingerprint);
      if (!known || entry.times > known.times) most.set(fingerprint, entry);
    }
  }
  return most;
}

/** Fingerprints sent more than once in a call of the record, as information. */
export function findRepeatedStatements(record: CostRecord, size: number | null = null): GrowthFinding[] {
  return [...maxTimes(record).values()]
    .filter((entry) => entry.times > 1)
    .map((entry) => ({ kind: 'repeated-statement', severity: 'info', operation: record.operation, size, statement: entry.ref, times: entry.times }));
}

function growthBetween(small: SizedCostRecord, large: SizedCostRecord): GrowthFinding | undefined {
  const before = worstCounts(small.record);
  const after = worstCounts(large.record);
  if (after.statements <= before.statements && after.roundTrips <= before.roundTrips) return undefined;
  const smallTimes = maxTimes(small.record);
  const growing = [...maxTimes(large.record).entries()].flatMap(([fingerprint, entry]): GrowingStatement[] => {
    const was = smallTimes.get(fingerprint)?.times ?? 0;
    return entry.times > was ? [{ ...entry.ref, times: [was, entry.times] }] : [];
  });
  return {
    kind: 'statements-grow',
    severity: 'regression',
    operation: large.record.operation,
    sizes: [small.size, large.size],
    statements: [before.statements, after.statements],
    roundTrips: [before.roundTrips, after.roundTrips],
    growing,
  };
}

/**
 * Checks that statements per call do not grow with size, between each pair of neighbouring sizes;
 * adds the statements repeated within a call at the largest size. Throws unless given at least two
 * records of one operation at distinct sizes.
 */
export function checkStatementGrowth(points: readonly SizedCostRecord[]): GrowthFinding[] {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const operations = new Set(sorted.map((p) => p.record.operation));
  if (sorted.length < 2 || operations.size !== 1 || new Set(sorted.map((p) => p.size)).size !== sorted.length) {
    const described = sorted.map((p) => `${p.record.operation}@${p.size}`).join(', ');
    throw new Error(`statement growth: expected records of one operation at two or more distinct sizes, got [${described}]`);
  }
  const findings: GrowthFinding[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const finding = growthBetween(sorted[i - 1]!, sorted[i]!);
    if (finding) findings.push(finding);
  }
  const largest = sorted[sorted.length - 1]!;
  return [...findings, ...findRepeatedStatements(largest.record, largest.size)];
}
