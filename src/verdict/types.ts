import type { Severity } from './metric-defaults.js';
import type {
  Calibration,
  Check,
  Direction,
  EnvironmentFingerprint,
  ErrorInfo,
  RunInfo,
  Unit,
} from '../results/types.js';

/** One way of looking at a change: the raw numbers, or divided by the machine-speed factor. */
export interface ViewEvidence {
  /** Median of the history in this view. */
  baseline: number;
  current: number;
  /** current - baseline, in the metric's unit. */
  change: number;
  /** change / baseline * 100; null when the baseline is 0. */
  changePercent: number | null;
  /** The noise the change is measured against; null when judged by tolerance alone. */
  noise: number | null;
  /** Change in noise units, positive = worse; null when judged by tolerance alone. */
  z: number | null;
  /** Beyond both the tolerance percent and the absolute floor, in the worse direction. */
  worseBeyondTolerance: boolean;
  /** Beyond both, in the better direction. */
  betterBeyondTolerance: boolean;
}

/** The numbers behind a relative verdict. */
export interface RelativeEvidence {
  /** `evidence`: tolerance and noise decide; `tolerance-only`: too little history to estimate noise. */
  mode: 'evidence' | 'tolerance-only';
  /** Why tolerance-only, in words; null in evidence mode. */
  modeReason: string | null;
  /** History values the baseline was made of. */
  historyRuns: number;
  raw: ViewEvidence;
  /** Null for metrics that are not calibrated (not ms or ops/s) or without calibration data. */
  calibrated: ViewEvidence | null;
  /** Which view(s) decided. */
  decidedOn: 'raw' | 'calibrated' | 'both';
  tolerancePercent: number;
  absoluteFloor: number;
  minEvidenceZ: number;
}

interface VerdictBase {
  scenarioId: string;
  /** Metric name, or `*` for the scenario as a whole (errored, missing). */
  metric: string;
  unit: Unit | null;
  direction: Direction;
  /** Effective severity, after any downgrade. */
  severity: Severity;
  /** Why the verdict is what it is beyond the numbers (downgrades, fallbacks, re-run). */
  notes: string[];
}

/** The outcome of re-running a flagged scenario. */
export interface RerunConfirmation {
  held: boolean;
  current: number | null;
  changePercent: number | null;
}

export type MetricVerdict =
  | (VerdictBase & { kind: 'pass'; current: number; relative: RelativeEvidence | null })
  | (VerdictBase & {
      kind: 'regressed';
      current: number;
      relative: RelativeEvidence;
      rerun: RerunConfirmation | null;
    })
  | (VerdictBase & { kind: 'improved'; current: number; relative: RelativeEvidence })
  | (VerdictBase & {
      kind: 'breached';
      current: number;
      limit: { bound: 'max' | 'min'; value: number };
      relative: RelativeEvidence | null;
    })
  | (VerdictBase & { kind: 'new'; current: number })
  | (VerdictBase & { kind: 'missing'; baseline: number | null })
  | (VerdictBase & { kind: 'errored'; error: ErrorInfo });

export type VerdictKind = MetricVerdict['kind'];

/** A scenario check (docs/scenarios.md) the run itself reported as failed. */
export interface FailedCheck {
  scenarioId: string;
  check: Check;
  /** `warn` only for a timing check that passed when its scenario was re-run; otherwise `fail`. */
  severity: Severity;
  /** What the confirmation re-run measured, when the scenario was re-run for this check. */
  rerun?: { passed: boolean; measured: Check['measured'] };
}

/** One field of the environment fingerprint that differs from the baseline's. */
export interface FingerprintDifference {
  field: 'postgres.major' | 'cpu.count' | 'node.major';
  baseline: number;
  current: number;
}

/** A latency over the history window and this run, oldest first, for the chart; labels name the runs. */
export interface Trend {
  scenarioId: string;
  metric: string;
  labels: string[];
  values: (number | null)[];
}

export interface OutcomeCounts {
  /** Relative regressions that fail. */
  regressions: number;
  /** Absolute limits breached that fail. */
  breaches: number;
  /** Scenarios that errored. */
  errored: number;
  /** Scenario checks the run reported as failed (and, for timing checks, the re-run too). */
  failedChecks: number;
  /** Regressions, breaches and failed timing checks that only warn. */
  warnings: number;
  improvements: number;
}

export type Outcome = ({ kind: 'pass' } | { kind: 'fail' }) & OutcomeCounts;

/** Everything the reports need: the verdicts and the context that led to them. */
export interface Comparison {
  run: RunInfo;
  totalMs: number;
  environment: EnvironmentFingerprint;
  fingerprint: {
    /** Empty when the history used has the same PostgreSQL major, CPU count and Node major. */
    differences: FingerprintDifference[];
    /** What relative failures become when there are differences. */
    policy: Severity;
    /** History runs left out because a like-for-like history was available without them. */
    excludedRuns: number;
  };
  calibration: {
    current: Calibration;
    /** Which timing the machine-speed factor is made from. */
    reference: 'rawGetById.p50';
    /** Median of the reference over the history used; null without history. */
    baselineReference: number | null;
    /** This run's reference / baselineReference; > 1 means this runner was slower. */
    factor: number | null;
  };
  history: {
    runs: number;
    /** Shas of the history runs used, newest first (null where unknown). */
    shas: (string | null)[];
    minHistory: number;
  };
  verdicts: MetricVerdict[];
  failedChecks: FailedCheck[];
  trends: Trend[];
  outcome: Outcome;
}
