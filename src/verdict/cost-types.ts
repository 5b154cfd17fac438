/**
 * The cost part of a Comparison: each operation's counted cost (results/cost-section.ts) judged
 * head against base (duet) or against the newest baseline with a cost section of the same
 * PostgreSQL major (history), and the N+1 check of operations measured at several sizes.
 */
import type { CostFinding } from '../cost/cost-findings.js';
import type { PlanSource } from '../cost/cost-record.js';
import type { GrowthFinding } from '../cost/statement-growth.js';
import type { ErrorInfo } from '../results/types.js';
import type { Severity } from './metric-defaults.js';

/** The counts of one operation's representative call, as the report shows them side by side. */
export interface CostCounts {
  statements: number;
  roundTrips: number;
  transactionControl: number;
  rowsReturned: number;
  rowsAffected: number;
  /** Rows returned plus rows its plans read and discarded by filters. */
  rowsExamined: number;
  /** Shared hit + read blocks of its plans (reported, never judged); null without buffer counts. */
  sharedBuffers: number | null;
}

/**
 * `regressed`: a finding that costs more (fails unless thresholds.json says `cost: { severity: warn }`);
 * `improved`: only findings that cost less; `changed`: fingerprints or plans changed, not a count;
 * `buffers`: only buffer counts (or call-to-call differences) changed, shown in comparison.json only;
 * `errored`: the pass could not count it this run; `new` / `missing`: on one side only.
 */
export type CostOperationStatus = 'regressed' | 'improved' | 'changed' | 'buffers' | 'errored' | 'new' | 'missing';

export interface CostOperationVerdict {
  operation: string;
  scenarioId: string;
  status: CostOperationStatus;
  /** What a regression does (thresholds.json `cost`); `warn` for every other status. */
  severity: Severity;
  base: CostCounts | null;
  head: CostCounts | null;
  findings: CostFinding[];
  /** Why it could not be counted (`errored`). */
  error?: ErrorInfo;
}

/** An operation whose statements grow with its size: the failed check it makes, and what grew. */
export interface CostGrowthVerdict {
  family: string;
  /** The scenario of the larger size, where the failed check is reported. */
  scenarioId: string;
  severity: Severity;
  finding: Extract<GrowthFinding, { kind: 'statements-grow' }>;
}

/** What the costs were compared with. */
export type CostBaseline =
  | { kind: 'base' }
  | { kind: 'baseline'; sha: string | null }
  | { kind: 'none'; reason: string };

export interface CostComparison {
  against: CostBaseline;
  /** Where this run's plans came from. */
  planSource: PlanSource;
  /** Operations with anything to say, in the order counted; the unchanged ones are only counted. */
  operations: CostOperationVerdict[];
  unchanged: number;
  growth: CostGrowthVerdict[];
}
