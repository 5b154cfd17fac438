import type { SessionsSpec } from '../../api/index.js';
import type { ScenarioContext, ScenarioDefinition } from '../../suites/scenario.js';
import { concurrentSessionsScenario } from '../../suites/sessions/concurrent.js';
import { contextTrackingScenario } from '../../suites/sessions/context-tracking.js';
import { exceptionCleanupScenario } from '../../suites/sessions/exception-cleanup.js';
import { heapTrackingScenario } from '../../suites/sessions/heap-tracking.js';
import { memoryStabilityScenario } from '../../suites/sessions/memory-stability.js';
import { normalCleanupScenario } from '../../suites/sessions/normal-cleanup.js';
import { poolLeakScenario } from '../../suites/sessions/pool-leak.js';
import { boundCall, callContext, callObserved, sharedOf } from './operation-call.js';

type Spec = SessionsSpec<unknown, unknown>;

/** Workers at once in the concurrent scenario, more than a pool has connections. */
const CONCURRENT_WORKERS = 50;
const CONCURRENT_ITERATIONS = 6;

/**
 * The session category on the operation, the specification's seven scenarios, each ending on the
 * cleanup checks (no session open, opened == closed, none leaked, pool 0 in use):
 * - `sessions.<id>.normal_cleanup`: 100 calls one after another; every call's EntityManager
 *   collectable afterwards (at most one per pooled connection still reachable).
 * - `sessions.<id>.exception_cleanup`: the operation, then a marker row, in transactions that fail
 *   in each real way (JS error, unique violation, syntax error, statement timeout): raised, rolled
 *   back; and transient failures (40001): committed once after a retry, or raised whole.
 * - `sessions.<id>.concurrent`: 50 callers x 6 calls: peak open sessions within 50 and above 1.
 * - `sessions.<id>.memory_stability`: 1000 calls in 10 batches: RSS growth < 50 MB, the settled
 *   heap not growing over the last half, peak heap recorded.
 * - `sessions.<id>.pool_leak`: 20 x 10 calls, 30% failing after the operation: only the planned
 *   failures, nothing waiting, no connection churn.
 * - `sessions.<id>.context_tracking`: the data layer's session helper around the operation used
 *   plainly, nested three deep, returning early, with no query, failing, writing: one session per
 *   use, closed / opened = 1, and a dropped session counted as leaked.
 * - `sessions.<id>.heap_tracking`: 300 calls under V8's sampling heap profiler: peak heap < 100 MB,
 *   the top 10 allocation sites named.
 * The empty id gives the category's own ids (`sessions.normal_cleanup`).
 */
export function sessionsTemplate(spec: Spec): ScenarioDefinition[] {
  const prefix = spec.id === '' ? 'sessions' : `sessions.${spec.id}`;
  const call = (ctx: ScenarioContext) => boundCall(ctx.db, sharedOf(ctx), ctx.random, spec.operation);
  const onSession = (ctx: ScenarioContext) => (em: unknown) => spec.operation(callContext(em, sharedOf(ctx), ctx.random));
  return [
    normalCleanupScenario(`${prefix}.normal_cleanup`, (ctx, observe) => () => callObserved(ctx.db, sharedOf(ctx), ctx.random, spec.operation, observe)),
    exceptionCleanupScenario(`${prefix}.exception_cleanup`, onSession),
    concurrentSessionsScenario({
      id: `${prefix}.concurrent`,
      concurrency: CONCURRENT_WORKERS,
      iterations: CONCURRENT_ITERATIONS,
      minIterations: 2,
      operation: call,
    }),
    memoryStabilityScenario(`${prefix}.memory_stability`, call),
    poolLeakScenario(`${prefix}.pool_leak`, { call, prelude: onSession }),
    contextTrackingScenario(`${prefix}.context_tracking`, onSession),
    heapTrackingScenario(`${prefix}.heap_tracking`, call),
  ];
}
