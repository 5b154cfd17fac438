/**
 * The shape most bench scenarios share: prepare an operation, benchmark it, verify what it left in
 * the database, report. A scenario file then only says what one call does, validating what the
 * call returned (it throws on a wrong answer, so a broken repository fails the all-succeeded
 * check), and optionally what the calls must have stored.
 */
import type { Check } from '../../results/types.js';
import type { ScenarioContext, ScenarioDefinition } from '../scenario.js';
import { benchOutcome } from './bench-outcome.js';
import { benchTiming, runBenchmark } from './bench-runner.js';

/** One call of a benchmark. */
export type BenchOperation = () => Promise<unknown>;

/** What a scenario benchmarks and how it checks the result afterwards. */
export interface BenchPlan {
  operation: BenchOperation;
  /** Runs after the benchmark (not timed): checks of what the calls stored. */
  verify?: () => Promise<Check[]>;
}

/** A benchmark scenario: every call must succeed, plus the plan's own checks. */
export function defineSimpleBench(
  id: string,
  prepare: (ctx: ScenarioContext) => BenchPlan | Promise<BenchPlan>,
): ScenarioDefinition {
  return {
    id,
    category: 'bench',
    params: {},
    async run(ctx) {
      const plan = await prepare(ctx);
      const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), plan.operation);
      const checks = plan.verify ? await plan.verify() : [];
      return benchOutcome(ctx, measured, { checks });
    },
  };
}

/** Throws when a call returned a wrong answer, so the call counts as failed. */
export function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new Error(`wrong result: ${what}`);
}
