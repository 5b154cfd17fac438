/**
 * What comparing cost records can find. Counts are exact, so each finding is a fact, not an
 * estimate; `severity` says what the verdict should do with it:
 * - `regression`: the head costs more (fails by default);
 * - `improvement`: the head costs less;
 * - `info`: changed, not worse by a count (a different fingerprint with the same counts, a new plan
 *   shape that scans nothing new, calls that differed from each other);
 * - `report`: shown, never judged (buffers, until an A/A validation shows they repeat exactly).
 */

/** A statement as a finding names it. */
export interface StatementRef {
  readonly fingerprint: string;
  readonly normalized: string;
}

/** A statement that appears more (added) or fewer (removed) times per call, and by how many. */
export interface StatementDelta extends StatementRef {
  readonly times: number;
}

/** The counts of a call that the statement findings show side by side. */
export interface CallCounts {
  readonly statements: number;
  readonly roundTrips: number;
  readonly transactionControl: number;
}

/** One finding of `compareCostRecords`. */
export type CostFinding =
  | { readonly kind: 'incomparable'; readonly severity: 'info'; readonly reason: string }
  | {
      readonly kind: 'unstable-calls';
      readonly severity: 'info';
      readonly side: 'base' | 'head';
      /** Which distinct call each measured call was (`[0, 1, 0]`). */
      readonly pattern: readonly number[];
    }
  | {
      readonly kind: 'more-statements';
      readonly severity: 'regression';
      readonly base: CallCounts;
      readonly head: CallCounts;
      readonly added: readonly StatementDelta[];
      readonly removed: readonly StatementDelta[];
    }
  | {
      readonly kind: 'fewer-statements';
      readonly severity: 'improvement';
      readonly base: CallCounts;
      readonly head: CallCounts;
      readonly added: readonly StatementDelta[];
      readonly removed: readonly StatementDelta[];
    }
  | { readonly kind: 'more-rows'; readonly severity: 'regression'; readonly base: number; readonly head: number }
  | { readonly kind: 'fewer-rows'; readonly severity: 'improvement'; readonly base: number; readonly head: number }
  | {
      readonly kind: 'new-seq-scan';
      readonly severity: 'regression';
      readonly table: string;
      readonly statement: StatementRef;
      /** Rows that statement read and discarded, in base (null when base had no such statement or plan) and head. */
      readonly rowsRemovedByFilter: { readonly base: number | null; readonly head: number | null };
    }
  | { readonly kind: 'index-unused'; readonly severity: 'regression'; readonly index: string; readonly statement: StatementRef }
  | {
      readonly kind: 'fingerprints-changed';
      readonly severity: 'info';
      readonly added: readonly StatementDelta[];
      readonly removed: readonly StatementDelta[];
    }
  | {
      readonly kind: 'plan-changed';
      readonly severity: 'info';
      readonly statement: StatementRef;
      readonly base: readonly string[];
      readonly head: readonly string[];
    }
  | { readonly kind: 'buffers-changed'; readonly severity: 'report'; readonly base: number | null; readonly head: number | null };

/** The severities, worst first. */
const ORDER = ['regression', 'info', 'report', 'improvement'] as const;

/** The worst severity among findings ('regression' before 'info' before 'report' before 'improvement'); null when none. */
export function worstSeverity(findings: readonly { readonly severity: (typeof ORDER)[number] }[]): (typeof ORDER)[number] | null {
  for (const severity of ORDER) if (findings.some((finding) => finding.severity === severity)) return severity;
  return null;
}
