import type { CostComparison } from './cost-types.js';
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

/**
 * The numbers behind a duet verdict: head against base measured in the same run
 * (src/verdict/paired.ts, docs/duet-method.md). Percentages are of the base's value.
 */
export interface PairedEvidence {
  /**
   * `rounds`: the Hodges-Lehmann estimate over the rounds' pairs with its exact interval;
   * `whole-run`: one value per arm (a memory growth, a count), judged by tolerance and floor alone.
   */
  method: 'rounds' | 'whole-run';
  /** What the paired judgement found; `inconclusive` never fails (too few pairs, or an interval reaching back inside the margin). */
  outcome: 'regressed' | 'improved' | 'pass' | 'inconclusive';
  /** For an inconclusive outcome with an estimate: which side of the margin the estimate is on. */
  leaning: 'worse' | 'better' | null;
  /** The base arm's value the change is relative to: the median of its rounds, or its whole-run value. */
  base: number | null;
  /** head - base in the metric's unit; null without an estimate (too few pairs). */
  change: number | null;
  /** The change in percent of the base; null without an estimate or when the base is 0. */
  changePercent: number | null;
  /** The interval of the change (`rounds` only): its exact confidence, in the unit and in percent. */
  interval: { confidence: number; low: number; high: number; lowPercent: number | null; highPercent: number | null } | null;
  /** Pairs used, and pairs left out because a value was not finite. */
  pairs: number;
  droppedPairs: number;
  tolerancePercent: number;
  absoluteFloor: number;
  /** The margin a change must clear: the larger of the floor and the tolerance's share of the base. */
  margin: number | null;
  marginPercent: number | null;
  /** The judgement in words (pairs, interval, margin). */
  reason: string;
}

/** The outcome of re-running a flagged scenario. */
export interface RerunConfirmation {
  held: boolean;
  current: number | null;
  changePercent: number | null;
}

/**
 * A history verdict carries `relative` (null when not compared); a duet verdict has `relative: null`
 * and `paired` when the metric was compared head against base.
 */
export type MetricVerdict =
  | (VerdictBase & { kind: 'pass'; current: number; relative: RelativeEvidence | null; paired?: PairedEvidence })
  | (VerdictBase & {
      kind: 'regressed';
      current: number;
      relative: RelativeEvidence | null;
      rerun: RerunConfirmation | null;
      paired?: PairedEvidence;
    })
  | (VerdictBase & { kind: 'improved'; current: number; relative: RelativeEvidence | null; paired?: PairedEvidence })
  | (VerdictBase & {
      kind: 'breached';
      current: number;
      limit: { bound: 'max' | 'min'; value: number };
      relative: RelativeEvidence | null;
      paired?: PairedEvidence;
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

/** One arm's figures of one round: its status and every metric's value. */
export interface DuetArmFigures {
  status: 'passed' | 'failed' | 'errored';
  metrics: Record<string, number>;
}

/** One scenario of a duet as comparison.json carries it: both arms' figures, round by round. */
export interface DuetScenarioFigures {
  scenarioId: string;
  /** paired, new (head only), missing (base only), changed (definition differs), errored. */
  status: 'paired' | 'new' | 'missing' | 'changed' | 'errored';
  /** Rounds run, the extension included. */
  rounds: number;
  /** Rounds added because a failing metric regressed or leaned worse (0 when not extended). */
  extendedBy: number;
  figures: Array<{ round: number; order: ['head' | 'base', 'head' | 'base']; head: DuetArmFigures | null; base: DuetArmFigures | null }>;
}

/** How a duet run was made: the commits, the rounds, what was flagged, the figures. */
export interface DuetSummary {
  headSha: string | null;
  baseSha: string | null;
  /** Rounds per arm the run was asked for (a scenario's plan may run fewer, its extension more). */
  rounds: number;
  /** Fewest and most rounds per arm planned for a paired scenario (its extension apart; scenarios run once left out). */
  roundsRun: { min: number; max: number };
  /** Scenarios whose definition differs between the arms: judged by the head's absolute limits only. */
  changed: string[];
  /** Scenarios that ran more rounds because a failing metric regressed or leaned worse. */
  extended: string[];
  timings: { preparation: { headMs: number; baseMs: number } | null; setupMs: { head: number; base: number }; wallMs: number };
  scenarios: DuetScenarioFigures[];
}

/** Everything the reports need: the verdicts and the context that led to them. */
export interface Comparison {
  /**
   * `history`: this run against baselines recorded before; `duet`: head against base measured in
   * the same run (`duet` then says how).
   */
  mode: 'history' | 'duet';
  duet?: DuetSummary;
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
  /** Statements, rows and plans per operation, judged exactly; absent when the run counted none. */
  cost?: CostComparison;
}
