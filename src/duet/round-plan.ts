/**
 * How many rounds each scenario of a duet runs (pure). Two kinds:
 *
 * - paired: rounds alternating between the arms, each 1/R of the scenario's work (R the configured
 *   rounds). After its second round, a scenario whose rounds cost more than its budget allows
 *   runs fewer: as many as fit, never fewer than MIN_PAIRED_ROUNDS (the fewest pairs that give an
 *   interval), never more than R. The second round is the measure: the first carries the garbage
 *   collection and the side measurements (docs/worker-protocol.md).
 * - once: one round per arm at the scenario's full size, both arms at the same time. For scenarios
 *   whose cost is fixed waits that no share makes shorter (the retry delays, breaker recovery and
 *   timeouts the specification sets; a pool's acquire timeouts; failing sessions each held for their
 *   own timeout; the memory scenario's thousand sessions in batches): a round of them costs nearly a
 *   full run, so pairing them would cost R full runs, and what their latencies measure is the
 *   configured waits, not the speed of the code. They are judged by the head's checks and absolute
 *   limits and, for memory, head against base on one value per arm; their latencies get no paired
 *   verdict (one pair is too few). Running the arms at once halves their wall time: waiting workers
 *   hardly share the CPU, and nothing compares one arm's timing with the other's.
 */
import type { Selection } from '../suites/selection.js';

/** Fewest rounds of a paired scenario: 10 pairs are the fewest with a 99.8% signed-rank interval (the verdict's level). */
export const MIN_PAIRED_ROUNDS = 10;

/** What one paired scenario's planned rounds may cost, both arms together, ms (the extension comes on top). */
export const DEFAULT_SCENARIO_BUDGET_MS = 1000;

/** The scenarios run once per arm at full size (see the file comment), as a selection. */
export const ONCE_PER_ARM: Readonly<Selection> = Object.freeze({
  categories: ['retry'],
  scenarios: ['pooling.exhaustion', 'sessions.exception_cleanup', 'sessions.memory_stability'],
});

/** Of those, the ones that mostly wait: both arms at the same time. */
export const ONCE_SIDE_BY_SIDE: Readonly<Selection> = Object.freeze({
  categories: ['retry'],
  scenarios: ['pooling.exhaustion', 'sessions.exception_cleanup'],
});

export interface RoundPlanSettings {
  /** Rounds of a paired scenario at most, before its extension; each is 1/rounds of its work. */
  rounds: number;
  /** What a paired scenario's rounds may cost, both arms together, ms. */
  budgetMs: number;
  /** Fewest rounds of a paired scenario that is cut to its budget. */
  minRounds: number;
}

/** How one scenario runs. */
export type ScenarioRounds = { kind: 'paired'; rounds: number; share: number } | { kind: 'once'; rounds: 1; share: 1 };

/**
 * The rounds of a paired scenario once its second round is done: as many as `budgetMs` pays for at
 * the second round's cost (both arms), within [minRounds, rounds]. The configured count when
 * it is at most minRounds, or when the round cost nothing measurable.
 */
export function fitRoundsToBudget(settings: RoundPlanSettings, roundMs: number): number {
  if (settings.rounds <= settings.minRounds || !(roundMs > 0)) return settings.rounds;
  const affordable = Math.floor(settings.budgetMs / roundMs);
  return Math.min(settings.rounds, Math.max(settings.minRounds, affordable));
}
