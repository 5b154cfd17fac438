import type { ProgressReporter } from '../suites/harness/progress.js';
import { isSelected, type Selection } from '../suites/selection.js';
import type { ArmRunner, WatchdogSettings } from './arm-runner.js';
import type { ArmName, DuetRound, DuetScenario, DuetScenarioStatus, RoundOrder } from './duet-types.js';
import { fitRoundsToBudget, type RoundPlanSettings } from './round-plan.js';
import type { PlannedScenario } from './scenario-plan.js';

/**
 * Which arm goes first in `round`: `first` in even rounds, the other in odd ones (AB BA AB BA ...,
 * or BA AB BA AB ... when the base starts). The coordinator draws `first` at random per scenario, as
 * RMIT randomizes each round's order: whatever favours the arm that starts a scenario (it ran last
 * in the scenario before, or first after a setup) then favours neither arm on average.
 */
export function roundOrder(round: number, first: ArmName = 'head'): RoundOrder {
  const headFirst = (round % 2 === 0) === (first === 'head');
  return headFirst ? ['head', 'base'] : ['base', 'head'];
}

/**
 * How long one round may take before its worker counts as hung: a generous fixed limit until the
 * scenario has a finished round, then a multiple of its longest finished round, with a floor.
 */
export function roundTimeoutMs(watchdog: WatchdogSettings, longestRoundMs: number): number {
  return longestRoundMs > 0 ? Math.max(watchdog.minRoundMs, watchdog.roundFactor * longestRoundMs) : watchdog.firstRoundMs;
}

function statusOf(planned: PlannedScenario, errored: boolean): DuetScenarioStatus {
  if (errored) return 'errored';
  const byDefinition = { same: 'paired', changed: 'changed', 'head-only': 'new', 'base-only': 'missing' } as const;
  return byDefinition[planned.definition];
}

export interface RoundLoopContext {
  runners: Record<ArmName, ArmRunner>;
  /** Rounds of a paired scenario at most, what a paired round's share is cut from, and its budget. */
  plan: RoundPlanSettings;
  /** Scenarios run once per arm at full size (round-plan.ts); none when empty. */
  once: Selection;
  /** Of those, the ones whose arms run at the same time. */
  sideBySide: Selection;
  watchdog: WatchdogSettings;
  progress: ProgressReporter;
  /**
   * Asked once the planned rounds of a paired scenario are done: true runs as many rounds again
   * (the extension), and the scenario is then judged on all of them.
   */
  extend?: (scenario: DuetScenario) => boolean;
  /** The arm that goes first in the scenario's round 0 (see roundOrder); head when not given. */
  firstArm?: ArmName;
}

/** The state of one scenario's rounds while they run. */
interface RoundState {
  results: DuetRound[];
  errors: Partial<Record<ArmName, string>>;
  active: Set<ArmName>;
  longestRoundMs: number;
}

/** Runs one arm's round and records its result; never throws. */
async function runArmRound(arm: ArmName, planned: PlannedScenario, context: RoundLoopContext, state: RoundState, round: { index: number; rounds: number; share: number }, entry: DuetRound): Promise<void> {
  const { runners, watchdog, progress } = context;
  progress.scenarioDetail?.(`${arm} round ${round.index + 1}/${round.rounds}`);
  const request = { id: planned.id, round: round.index, rounds: round.rounds, share: round.share };
  const result = await runners[arm].runRound(request, planned, roundTimeoutMs(watchdog, state.longestRoundMs));
  entry[arm] = result;
  if (result.status === 'errored') state.errors[arm] ??= result.error.message;
  else state.longestRoundMs = Math.max(state.longestRoundMs, result.wallMs);
  if (!runners[arm].healthy) state.active.delete(arm);
}

/** Which rounds to run: `from` to `to` - 1, each a `share` of the work, of `planned` rounds as far as known. */
interface RoundSpan {
  from: number;
  to: number;
  share: number;
  planned: number;
}

/**
 * Runs a span of a scenario's rounds on the arms still active, one arm after the other in each
 * round's order; returns the wall time of the last round.
 */
async function runRounds(planned: PlannedScenario, context: RoundLoopContext, state: RoundState, span: RoundSpan): Promise<number> {
  let lastMs = 0;
  for (let round = span.from; round < span.to && state.active.size > 0; round++) {
    const started = performance.now();
    const entry: DuetRound = { round, order: roundOrder(round, context.firstArm) };
    for (const arm of entry.order) {
      if (state.active.has(arm)) await runArmRound(arm, planned, context, state, { index: round, rounds: span.planned, share: span.share }, entry);
    }
    state.results.push(entry);
    lastMs = performance.now() - started;
  }
  return lastMs;
}

/** The one round of a scenario run once per arm: full size, both arms at the same time or one after the other. */
async function runOnce(planned: PlannedScenario, context: RoundLoopContext, state: RoundState): Promise<void> {
  const entry: DuetRound = { round: 0, order: roundOrder(0, context.firstArm) };
  const round = { index: 0, rounds: 1, share: 1 };
  const arms = entry.order.filter((arm) => state.active.has(arm));
  if (isSelected(planned, context.sideBySide)) {
    await Promise.all(arms.map((arm) => runArmRound(arm, planned, context, state, round, entry)));
  } else {
    for (const arm of arms) await runArmRound(arm, planned, context, state, round, entry);
  }
  state.results.push(entry);
}

function toScenario(planned: PlannedScenario, state: RoundState, extendedBy: number): DuetScenario {
  const hasErrors = Object.keys(state.errors).length > 0;
  return {
    id: planned.id,
    category: planned.category,
    status: statusOf(planned, hasErrors),
    definition: planned.definition,
    rounds: state.results,
    ...(extendedBy > 0 ? { extendedBy } : {}),
    ...(hasErrors ? { errors: state.errors } : {}),
  };
}

/**
 * Runs every round of one scenario on its arms (round-plan.ts): once per arm, or paired rounds
 * fitted to the scenario's budget after the second, then, when `extend` asks for it, as many again.
 * An arm whose worker is unavailable, or fails during a round, records why and sits out the
 * scenario's remaining rounds; the other arm goes on, so the head's results stay complete when the
 * base fails.
 */
export async function runScenarioRounds(planned: PlannedScenario, context: RoundLoopContext): Promise<DuetScenario> {
  const { runners, plan } = context;
  const state: RoundState = { results: [], errors: {}, active: new Set(), longestRoundMs: 0 };
  for (const arm of planned.arms) {
    const availability = await runners[arm].ensureRunning();
    if (availability.kind === 'running') state.active.add(arm);
    else state.errors[arm] = availability.reason;
  }
  if (isSelected(planned, context.once)) {
    await runOnce(planned, context, state);
    return toScenario(planned, state, 0);
  }
  const share = 1 / plan.rounds;
  const secondMs = await runRounds(planned, context, state, { from: 0, to: Math.min(2, plan.rounds), share, planned: plan.rounds });
  const rounds = plan.rounds > 2 ? fitRoundsToBudget(plan, secondMs) : plan.rounds;
  await runRounds(planned, context, state, { from: state.results.length, to: rounds, share, planned: rounds });
  const scenario = toScenario(planned, state, 0);
  if (scenario.status !== 'paired' || !context.extend?.(scenario)) return scenario;
  await runRounds(planned, context, state, { from: rounds, to: 2 * rounds, share, planned: 2 * rounds });
  return toScenario(planned, state, state.results.length - rounds);
}
