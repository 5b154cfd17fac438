import type { ProgressReporter } from '../suites/harness/progress.js';
import type { ArmRunner, WatchdogSettings } from './arm-runner.js';
import type { ArmName, DuetRound, DuetScenario, DuetScenarioStatus, RoundOrder } from './duet-types.js';
import type { PlannedScenario } from './scenario-plan.js';

/** Which arm goes first: head in even rounds, base in odd ones (AB BA AB BA ...). */
export function roundOrder(round: number): RoundOrder {
  return round % 2 === 0 ? ['head', 'base'] : ['base', 'head'];
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
  rounds: number;
  watchdog: WatchdogSettings;
  progress: ProgressReporter;
  /**
   * Asked once the planned rounds of a paired scenario are done: true runs as many rounds again
   * (the extension), and the scenario is then judged on all of them.
   */
  extend?: (scenario: DuetScenario) => boolean;
}

/** The state of one scenario's rounds while they run. */
interface RoundState {
  results: DuetRound[];
  errors: Partial<Record<ArmName, string>>;
  active: Set<ArmName>;
  longestRoundMs: number;
}

/** Runs rounds `from` to `to` - 1 of a scenario, each a `share` of its work, on the arms still active. */
async function runRounds(planned: PlannedScenario, context: RoundLoopContext, state: RoundState, from: number, to: number, share: number): Promise<void> {
  const { runners, watchdog, progress } = context;
  for (let round = from; round < to && state.active.size > 0; round++) {
    const order = roundOrder(round);
    const entry: DuetRound = { round, order };
    for (const arm of order) {
      if (!state.active.has(arm)) continue;
      progress.scenarioDetail?.(`${arm} round ${round + 1}/${to}`);
      const request = { id: planned.id, round, rounds: to, share };
      const result = await runners[arm].runRound(request, planned, roundTimeoutMs(watchdog, state.longestRoundMs));
      entry[arm] = result;
      if (result.status === 'errored') state.errors[arm] ??= result.error.message;
      else state.longestRoundMs = Math.max(state.longestRoundMs, result.wallMs);
      if (!runners[arm].healthy) state.active.delete(arm);
    }
    state.results.push(entry);
  }
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
 * Runs every round of one scenario on its arms, then, when `extend` asks for it, as many again. An
 * arm whose worker is unavailable, or fails during a round, records why and sits out the
 * scenario's remaining rounds; the other arm goes on, so the head's results stay complete when the
 * base fails.
 */
export async function runScenarioRounds(planned: PlannedScenario, context: RoundLoopContext): Promise<DuetScenario> {
  const { runners, rounds } = context;
  const state: RoundState = { results: [], errors: {}, active: new Set(), longestRoundMs: 0 };
  for (const arm of planned.arms) {
    const availability = await runners[arm].ensureRunning();
    if (availability.kind === 'running') state.active.add(arm);
    else state.errors[arm] = availability.reason;
  }
  await runRounds(planned, context, state, 0, rounds, 1 / rounds);
  const scenario = toScenario(planned, state, 0);
  if (scenario.status !== 'paired' || !context.extend?.(scenario)) return scenario;
  await runRounds(planned, context, state, rounds, 2 * rounds, 1 / rounds);
  return toScenario(planned, state, state.results.length - rounds);
}
