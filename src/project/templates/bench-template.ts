import type { BenchSpec } from '../../api/index.js';
import { benchOutcome } from '../../suites/bench/bench-outcome.js';
import { benchTiming, runBenchmark } from '../../suites/bench/bench-runner.js';
import type { ScenarioDefinition } from '../../suites/scenario.js';
import { ScenarioCalls } from './operation-call.js';

/**
 * `bench.<id>`: the operation benchmarked as the gate's own bench scenarios are (benchmark.js, or
 * one timed block per duet round), every call in its own fork (one transaction each with `write`),
 * after `prepare`. Criteria: every call succeeds (the operation throws on a wrong result), and the
 * checks of `verify`; the latency targets are thresholds.json's.
 */
export function benchTemplate(spec: BenchSpec<unknown, unknown>): ScenarioDefinition[] {
  const id = `bench.${spec.id}`;
  return [
    {
      id,
      category: 'bench',
      params: {},
      async run(ctx) {
        const calls = await ScenarioCalls.open(ctx, spec, `bench('${spec.id}')`);
        const measured = await runBenchmark(id, ctx.db, benchTiming(ctx), calls.plain(spec.operation));
        return benchOutcome(ctx, measured, { checks: await calls.verify() });
      },
    },
  ];
}
