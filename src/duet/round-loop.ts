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
}

/**
 * Runs every round of one scenario on its arms. An arm whose worker is unavailable, or fails
 * during a round, records why and sits out the scenario's remaining rounds; the other arm goes on,
 * so the head's results stay complete when the base fails.
 */
export async function runScenarioRounds(planned: PlannedScenario, context: RoundLoopContext): Promise<DuetScenario> {
  const { runners, rounds, watchdog, progress } = context;
  const errors: Partial<Record<ArmName, string>> = {};
  const active = new Set<ArmName>();
  for (const arm of planned.arms) {
    const availability = await runners[arm].ensureRunning();
    if (availability.kind === 'running') active.add(arm);
    else errors[arm] = availability.reason;
  }
  const results: DuetRound[] = [];
  let longestRoundMs = 0;
  for (let round = 0; round < rounds && active.size > 0; round++) {
    const order = roundOrder(round);
    const entry: DuetRound = { round, order };
    for (const arm of order) {
      if (!active.has(arm)) continue;
      progress.scenarioDetail?.(`${arm} round ${round + 1}/${rounds}`);
      const request = { id: planned.id, round, rounds, share: 1 / rounds };
      const result = await runners[arm].runRound(request, planned, roundTimeoutMs(watchdog, longestRoundMs));
      entry[arm] = result;
      if (result.status === 'errored') errors[arm] ??= result.error.message;
      else longestRoundMs = Math.max(longestRoundMs, result.wallMs);
      if (!runners[arm].healthy) active.delete(arm);
    }
    results.push(entry);
  }
  const hasErrors = Object.keys(errors).length > 0;
  return {
    id: planned.id,
    category: planned.category,
    status: statusOf(planned, hasErrors),
    definition: planned.definition,
    rounds: results,
    ...(hasErrors ? { errors } : {}),
  };
}
