import type { PoolStats } from '../../db/pool-stats.js';
import type { ScenarioDefinition } from '../../suites/scenario.js';
import { cleanupChecks, closeSessionWindow, openSessionWindow } from '../../suites/sessions/session-checks.js';

/** The names of the cleanup checks closeSessionWindow makes, read off the checks themselves. */
const CLEANUP_CHECK_NAMES = cleanupChecks({ opened: 0, closed: 0, leaked: 0, open: 0 }, { inUse: 0 } as PoolStats).map((c) => c.name);

/**
 * `definition` with the session-leak checks of every perf-file scenario: the session window opens
 * on ctx.db (the user's data layer) before it runs, and closes after it (the pool idle, a settled
 * GC): no session open, opened == closed, none leaked, pool 0 in use, with the session counters as
 * metrics. A scenario that made those checks itself (the sessions template's) keeps its own; the
 * wrapper then adds nothing. They are a side measurement (two forced full collections, about
 * 50-100 ms): a duet makes them in a scenario's first round only, as it does pagination's scaling.
 */
export function withLeakChecks(definition: ScenarioDefinition): ScenarioDefinition {
  return {
    ...definition,
    async run(ctx) {
      if (ctx.options.sideMeasurements === false) return definition.run(ctx);
      const before = openSessionWindow(ctx.db);
      const outcome = await definition.run(ctx);
      const made = new Set(outcome.checks.map((c) => c.name));
      if (CLEANUP_CHECK_NAMES.every((name) => made.has(name))) return outcome;
      ctx.step('checking that the sessions the scenario opened were closed');
      const window = await closeSessionWindow(ctx.db, before);
      return {
        ...outcome,
        checks: [...outcome.checks, ...window.checks.filter((c) => !made.has(c.name))],
        metrics: { ...window.metrics, ...outcome.metrics },
      };
    },
  };
}
