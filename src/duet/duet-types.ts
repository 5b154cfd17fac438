/**
 * What a duet run produced: both arms' results of every round of every scenario, written to
 * `.perf-gate/duet.json` and read by the paired verdict. The head arm's rounds also fold into an
 * ordinary results document (head-document.ts) for absolute limits and checks.
 */
import type { CostSection } from '../results/cost-section.js';
import type { Calibration, Category, EnvironmentFingerprint, ScenarioResult } from '../results/types.js';

export type ArmName = 'head' | 'base';

/** Which arm ran first in a round: rounds alternate (AB BA ...), the arm of round 0 drawn per scenario. */
export type RoundOrder = readonly ['head', 'base'] | readonly ['base', 'head'];

/**
 * How a scenario's definition compares between the arms: the same, changed by the head (a
 * different definitionHash), or present in one arm only.
 */
export type DefinitionStatus = 'same' | 'changed' | 'head-only' | 'base-only';

/**
 * `paired`: both arms ran the same definition. `new`: the head only has it. `missing`: the base
 * only has it. `changed`: both ran it but its definition differs, so only the head's absolute
 * limits judge it. `errored`: an arm that should have run it failed in at least one round (the
 * definition status is kept in `definition`).
 */
export type DuetScenarioStatus = 'paired' | 'new' | 'missing' | 'changed' | 'errored';

export interface DuetRound {
  /** 0-based. */
  round: number;
  order: RoundOrder;
  head?: ScenarioResult;
  base?: ScenarioResult;
}

export interface DuetScenario {
  id: string;
  category: Category;
  status: DuetScenarioStatus;
  definition: DefinitionStatus;
  rounds: DuetRound[];
  /**
   * Rounds added after the planned ones because a failing metric regressed or leaned worse (the
   * extension: the scenario is judged on all its rounds); absent when not extended.
   */
  extendedBy?: number;
  /** The first failure of each arm in this scenario, when it had one. */
  errors?: Partial<Record<ArmName, string>>;
}

/** An arm's cost pass: its section (none when no selected scenario had an operation), or why there is none. */
export type ArmCost = { kind: 'counted'; section: CostSection | null } | { kind: 'unavailable'; reason: string };

/** One arm as it ran. */
export interface DuetArmInfo {
  toolVersion: string;
  /** Scratch database of its first worker, without credentials. */
  database: string;
  fingerprint: EnvironmentFingerprint;
  /** Times its worker was killed and started again after a crash or a hang. */
  restarts: number;
  /** Run-level reference timings (raw `pg` next to the repository), when the arm was asked for them. */
  calibration?: Calibration;
  /** The arm's cost pass, before its first round; absent when the run did not ask for one. */
  cost?: ArmCost;
}

export interface DuetRun {
  schemaVersion: 1;
  run: {
    /** The commits the arms' builds were made from, when known. */
    headSha?: string;
    baseSha?: string;
    startedAt: string;
    finishedAt: string;
    rounds: number;
    seed: number;
    seedUsers: number;
    scale: number;
  };
  timings: {
    /** Building the head's worker and extracting the base's, ms: done before the run, reported apart. */
    preparation?: { headMs: number; baseMs: number };
    /** Database creation, migrations and seed of each arm's first worker (in parallel), ms. */
    setupMs: Record<ArmName, number>;
    /** From spawning the workers to the end of the last round, both setups included, ms. */
    wallMs: number;
    /** Wall time of each category's rounds, both arms and any extension included, ms. */
    categories: Partial<Record<Category, number>>;
  };
  arms: Record<ArmName, DuetArmInfo>;
  scenarios: DuetScenario[];
}
