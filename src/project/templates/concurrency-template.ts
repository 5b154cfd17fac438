import type { ConcurrencySpec } from '../../api/index.js';
import { CONCURRENCY_LEVELS, concurrencyOutcome, measureLoad } from '../../suites/bench/concurrent.js';
import type { ScenarioDefinition } from '../../suites/scenario.js';
import { ScenarioCalls } from './operation-call.js';

/**
 * `bench.<id>:<callers>`: the operation called by that many callers at once for the benchmark
 * time, alternating with windows of one caller (the reference), as bench.concurrent.*'s. At the
 * highest level the mean latency may be at most 1.25 x callers times one caller's; `verify`'s
 * checks follow.
 */
export function concurrencyTemplate(spec: ConcurrencySpec<unknown, unknown>): ScenarioDefinition[] {
  const levels = [...(spec.levels ?? CONCURRENCY_LEVELS)].sort((a, b) => a - b);
  const highest = levels[levels.length - 1];
  return levels.map((concurrency) => ({
    id: `bench.${spec.id}:${concurrency}`,
    category: 'bench',
    params: { concurrency },
    async run(ctx) {
      const calls = await ScenarioCalls.open(ctx, spec, `concurrency('${spec.id}')`);
      const measured = await measureLoad(ctx, calls.plain(spec.operation), concurrency);
      return concurrencyOutcome(ctx, measured, concurrency, concurrency === highest, await calls.verify());
    },
  }));
}
