import type { LoadSpec, Operation } from '../../api/index.js';
import { backendPid } from '../../suites/harness/backend-pid.js';
import { exhaustionScenario } from '../../suites/pooling/exhaustion.js';
import { monitoringScenario } from '../../suites/pooling/monitoring.js';
import { recyclingScenario, type PidOfCall } from '../../suites/pooling/recycling.js';
import { sharedLoadScenario, type LoadCall } from '../../suites/pooling/shared-load.js';
import type { ScenarioDefinition } from '../../suites/scenario.js';
import { boundCall, callOperation, sharedOf } from './operation-call.js';

type Spec = LoadSpec<unknown, unknown>;

/**
 * The operation, then `select pg_backend_pid()` on the call's EntityManager: in the same session,
 * the pid of the backend that answered it. Outside a transaction a session checks a connection
 * out per statement, so that is the connection of the question: a pooled one like every other.
 */
function operationThenPid(spec: Spec): PidOfCall {
  return (ctx) => async () => {
    let pid = Number.NaN;
    const thenAsk: Operation<unknown, unknown, never> = async (call) => {
      await spec.operation(call);
      pid = await backendPid(call.em);
    };
    await callOperation(ctx.db, sharedOf(ctx), ctx.random, thenAsk);
    return pid;
  };
}

/**
 * The pooling category on the user's pool, from the gate's own scenarios with the operation as
 * the call:
 * - `pooling.<id>.normal_load`: 20 callers x 10 calls (the calls scaled) on a pool of its own with
 *   the user's settings, warmed, sampled every 2 ms; error rate < 1%, every call made, the pool
 *   never over its max and back to 0 in use, its connections gone from the server once it closed.
 *   The latency targets (avg < 100 ms, p95 < 200 ms) are thresholds.json's; recorded here.
 * - `pooling.<id>.high_load`: 100 x 5 the same way; error rate < 5%, and requests seen queueing
 *   for a connection when 100 is more than the pool's max.
 * - `pooling.<id>.recycling`: the operation then `select pg_backend_pid()` in the same session,
 *   100 one after another and 20 x 10 at once: distinct backends <= the pool's max, >= 5 calls
 *   per connection.
 * - `pooling.<id>.exhaustion`: the user's ORM with a pool of 2 + 1 overflow, connections held with
 *   `select pg_sleep(...)`: queued requests complete, the excess fails fast with an acquire timeout.
 * - `pooling.<id>.monitoring`: 30 x 10 calls while the pool's statistics are read every 2 ms: every
 *   reading consistent, readable under load, and the server sees every connection the pool reports.
 * In the specification's order; an empty id gives the category's own ids (`pooling.normal_load`).
 */
export function loadTemplate(spec: Spec): ScenarioDefinition[] {
  const call: LoadCall = (ctx, db) => boundCall(db, sharedOf(ctx), ctx.random, spec.operation);
  const prefix = spec.id === '' ? 'pooling' : `pooling.${spec.id}`;
  return [
    sharedLoadScenario({ id: `${prefix}.normal_load`, concurrency: 20, iterations: 10, maxErrorRate: 0.01, expectQueueing: false, call }),
    sharedLoadScenario({ id: `${prefix}.high_load`, concurrency: 100, iterations: 5, maxErrorRate: 0.05, expectQueueing: 'over-pool-max', call }),
    exhaustionScenario(`${prefix}.exhaustion`),
    recyclingScenario(`${prefix}.recycling`, operationThenPid(spec)),
    monitoringScenario(`${prefix}.monitoring`, call),
  ];
}
