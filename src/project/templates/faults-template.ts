import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultsSpec } from '../../api/index.js';
import type { Check } from '../../results/types.js';
import type { FaultProxy } from '../../suites/harness/fault-proxy.js';
import { toMetric } from '../../suites/harness/latency-metrics.js';
import { hrClock, LatencyRecorder } from '../../suites/harness/latency-recorder.js';
import { terminateBackendsByPid } from '../../suites/harness/terminate-backends.js';
import {
  allSucceeded,
  maxPeaks,
  poolChecks,
  runPoolLoad,
  scenarioMetrics,
  settlePool,
  timeOutcome,
  warmPool,
  watchPool,
  type TimedOutcome,
} from '../../suites/pooling/pool-load.js';
import { check, type ScenarioContext, type ScenarioDefinition } from '../../suites/scenario.js';
import type { DataLayerUnderTest } from '../../suites/subject.js';
import { boundCall, sharedOf } from './operation-call.js';
import { callThroughBlackHole, within } from './black-hole.js';
import { checkedPolicy, MAX_ERROR_RATE, policyTemplate, RATE_TOLERANCE } from './policy-template.js';
import { ProjectError } from '../project-files.js';

type Spec = FaultsSpec<unknown, unknown>;

/** transient_failures: calls. */
const OPERATIONS = 200;

/** Calls of transient_failures at any scale, so the injected rate means something (as retry.transient_failures). */
const MIN_TRANSIENT_CALLS = 100;
/**
 * How long the bytes of a call's statement get to reach the black-holing proxy once the pool shows
 * the connection checked out, ms: they travel loopback inside this process (microseconds); the
 * rest is room for a busy machine. Late bytes change nothing but whether the server saw them.
 */
const IN_FLIGHT_MS = 2;
/** backend_restart: workers x calls (the calls scaled, at least 4), and the rounds after it. */
const RESTART = { workers: 10, iterations: 20, minIterations: 4, roundsAfter: 2, settleMs: 200 };

/** A pool of one connection through a fault proxy of its own, with the user's other settings. */
async function openProxiedPoolOfOne(ctx: ScenarioContext): Promise<{ proxy: FaultProxy; db: DataLayerUnderTest }> {
  const proxy = await ctx.startProxy();
  const db = await ctx.openDataLayer({ pool: { size: 1, maxOverflow: 0 } }, proxy.url(ctx.settings.url));
  return { proxy, db };
}

/** Opens the pool's connection (or replaces a cut one) with a statement of perf-gate's. */
function openConnection(db: DataLayerUnderTest): Promise<unknown> {
  return db.withSession((s) => s.em.execute('select 1'));
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One call whose connection is cut while its statement is in flight. The proxy black-holes first,
 * so whatever the call sends goes unanswered; once the pool shows the connection checked out and
 * its bytes had IN_FLIGHT_MS to reach the proxy, the proxy passes them on to the server and resets
 * the connection (an RST both ways) in the same turn of the event loop, before any answer can come
 * back: the server runs the statement, the client never hears (a write outside a transaction is
 * applied, so a blind retry of the user's applies it twice, as after a real lost connection). The
 * pool's one connection was opened just before, so the cut hits the operation's first statement,
 * never a connect. `cut` is false when the call ended without checking out a connection (no
 * statement to cut).
 */
async function callWithCut(proxy: FaultProxy, db: DataLayerUnderTest, recorder: LatencyRecorder, call: () => Promise<unknown>) {
  await openConnection(db);
  await proxy.setMode({ kind: 'blackhole' });
  let settled = false;
  const pending = recorder.measure(call).finally(() => {
    settled = true;
  });
  while (!settled && db.poolStats().inUse === 0) await nextTurn();
  if (!settled) await sleep(IN_FLIGHT_MS);
  const cut = !settled;
  await proxy.setMode({ kind: 'pass' });
  if (cut) proxy.resetAll();
  return { outcome: await pending, cut };
}

/** What the calls of transient_failures did, by whether their connection was cut. */
interface CutTally {
  planned: number;
  cut: number;
  cutSucceeded: number;
  uncutFailed: number;
}

/** `calls` calls one after another; each drawn (ctx.random, the configured rate) has its connection cut. */
async function runCutCalls(ctx: ScenarioContext, proxy: FaultProxy, db: DataLayerUnderTest, calls: number, call: () => Promise<unknown>) {
  const recorder = new LatencyRecorder();
  const tally: CutTally = { planned: 0, cut: 0, cutSucceeded: 0, uncutFailed: 0 };
  const rate = ctx.options.transientFailureRate;
  for (let i = 0; i < calls && !ctx.signal.aborted; i++) {
    const drawn = ctx.random.chance(rate);
    const { outcome, cut } = drawn ? await callWithCut(proxy, db, recorder, call) : { outcome: await recorder.measure(call), cut: false };
    tally.planned += drawn ? 1 : 0;
    tally.cut += cut ? 1 : 0;
    if (cut && outcome.kind === 'ok') tally.cutSucceeded++;
    if (!cut && outcome.kind === 'error') tally.uncutFailed++;
  }
  return { recorder, tally };
}

/**
 * `retry.<id>.transient_failures`: 200 calls (scaled, at least 100), one after another, on a pool
 * of one connection through a fault proxy; each call, with the configured probability (0.3, drawn
 * from the seeded random), has its connection cut while its first statement is in flight (see
 * callWithCut). perf-gate adds no retry: what the user's code does about a lost connection is
 * measured. Criteria (the specification's): injected failure rate (cuts / calls) within 0.1 of the
 * configured one; recovery rate (cut calls that still succeeded / cut calls) > the failure rate;
 * error rate < 5% (a data layer without retry shows about the injected 30%); no call failed that
 * was not cut (the pool replaced the broken connection); the pool back to 0 in use.
 */
function transientFailures(spec: Spec): ScenarioDefinition {
  return {
    id: `retry.${spec.id}.transient_failures`,
    category: 'retry',
    params: { operations: OPERATIONS },
    async run(ctx) {
      const calls = ctx.scaled(OPERATIONS, MIN_TRANSIENT_CALLS);
      const rate = ctx.options.transientFailureRate;
      const { proxy, db } = await openProxiedPoolOfOne(ctx);
      const sampler = watchPool(db);
      ctx.step(`${calls} calls, ${Math.round(rate * 100)}% of them with their connection cut mid-statement`);
      const { recorder, tally } = await runCutCalls(ctx, proxy, db, calls, boundCall(db, sharedOf(ctx), ctx.random, spec.operation));
      const end = await settlePool(db);
      const peaks = sampler.stop();
      const metrics = recorder.metrics();
      const failureRate = tally.cut / Math.max(1, recorder.total);
      const recoveryRate = tally.cut === 0 ? 1 : tally.cutSucceeded / tally.cut;
      const errorRate = metrics.error_rate.value;
      return {
        checks: [
          check('failures_injected_at_configured_rate', Math.abs(failureRate - rate) <= RATE_TOLERANCE, failureRate, `${rate} ± ${RATE_TOLERANCE}`),
          check('recovery_rate_above_failure_rate', recoveryRate > failureRate, recoveryRate, `> ${failureRate.toFixed(3)} (failure rate)`),
          check('error_rate_below_5_percent', errorRate < MAX_ERROR_RATE, errorRate, `< ${MAX_ERROR_RATE}`),
          check('only_cut_calls_failed', tally.uncutFailed === 0, tally.uncutFailed, '0 failed calls without a cut'),
          ...poolChecks(end, peaks),
        ],
        metrics: {
          ...metrics,
          ...scenarioMetrics(db, peaks),
          failure_rate: toMetric('failure_rate', failureRate),
          recovery_rate: toMetric('recovery_rate', recoveryRate),
        },
        samples: recorder.samples(),
        params: {
          operations: calls,
          failureRate: rate,
          planned: tally.planned,
          injected: tally.cut,
          connections_opened: proxy.stats.accepted,
          errors: Object.entries(recorder.errorCounts()).map(([key, count]) => `${key} ${count}`).join(', '),
        },
      };
    },
  };
}

/** When backend_restart terminated the pool's backends, and the calls started after that (hrClock ms). */
interface RestartTimeline {
  pids: number;
  terminated: number;
  terminatedAt: number;
  /** Calls started once the termination returned. */
  startedAfter: number;
  firstSuccessAt: number;
}

/**
 * The call, noting the first success of a call started after the termination; the call that
 * makes the `trigger`-th start also starts the termination (not awaited: it runs beside the load).
 */
function restartingCall(call: () => Promise<unknown>, timeline: RestartTimeline, trigger: number, terminate: () => Promise<void>) {
  let started = 0;
  let termination: Promise<void> | undefined;
  const operation = async (): Promise<void> => {
    started++;
    if (started === trigger) termination = terminate();
    const after = hrClock() >= timeline.terminatedAt;
    if (after) timeline.startedAfter++;
    await call();
    if (after && Number.isNaN(timeline.firstSuccessAt)) timeline.firstSuccessAt = hrClock();
  };
  return { operation, terminated: async () => termination ?? terminate() };
}

/**
 * `retry.<id>.backend_restart`: 10 workers x 20 calls (scaled, at least 4) on a pool of its own
 * with the user's settings, warmed to its max; when half the calls have started, every backend of
 * the pool is terminated (pg_terminate_backend from a connection of perf-gate's), as a server
 * restart would. Then, 200 ms later, 2 more rounds of calls. Criteria: every backend of the pool terminated; a
 * call started after the termination succeeded (recovery_ms: from the termination to that
 * success); every call of the rounds after succeeded; the pool back to 0 in use. The calls that
 * failed are the load's `failed` (a data layer without retry loses the calls in flight).
 */
function backendRestart(spec: Spec): ScenarioDefinition {
  const { workers, roundsAfter } = RESTART;
  return {
    id: `retry.${spec.id}.backend_restart`,
    category: 'retry',
    params: { workers, iterations: RESTART.iterations },
    async run(ctx) {
      const iterations = ctx.scaled(RESTART.iterations, RESTART.minIterations);
      const db = await ctx.openDataLayer();
      await warmPool(db);
      const timeline: RestartTimeline = { pids: 0, terminated: 0, terminatedAt: Number.NaN, startedAfter: 0, firstSuccessAt: Number.NaN };
      const terminate = async () => {
        const { pids } = db.poolStats();
        timeline.pids = pids.length;
        timeline.terminated = await terminateBackendsByPid(ctx.settings.url, pids);
        timeline.terminatedAt = hrClock();
      };
      const restarting = restartingCall(boundCall(db, sharedOf(ctx), ctx.random, spec.operation), timeline, Math.ceil((workers * iterations) / 2), terminate);
      ctx.step(`${workers} workers x ${iterations} calls, every backend terminated half way`);
      const load = await runPoolLoad(db, { concurrency: workers, iterations, operation: restarting.operation, signal: ctx.signal });
      await restarting.terminated();
      const loadCallsAfter = timeline.startedAfter;
      // The terminated connections' sockets report it a moment later; the rounds after start then,
      // as requests after a restart would (a pool that never notices keeps failing them).
      await new Promise((resolve) => setTimeout(resolve, RESTART.settleMs));
      ctx.step(`${workers} workers x ${roundsAfter} calls after the restart`);
      const after = await runPoolLoad(db, { concurrency: workers, iterations: roundsAfter, operation: restarting.operation, signal: ctx.signal });
      const end = await settlePool(db);
      const peaks = maxPeaks(load.peaks, after.peaks);
      const recoveryMs = timeline.firstSuccessAt - timeline.terminatedAt;
      return {
        checks: [
          check('backends_terminated', timeline.pids > 0 && timeline.terminated === timeline.pids, `${timeline.terminated} of ${timeline.pids}`, 'every backend of the pool'),
          check('recovered_after_restart', Number.isFinite(recoveryMs), Number.isFinite(recoveryMs) ? recoveryMs : 'no success after the termination', 'a call started after the termination succeeds'),
          { ...allSucceeded(after, workers * roundsAfter), name: 'calls_succeed_after_restart' },
          ...poolChecks(end, peaks),
        ],
        metrics: {
          ...scenarioMetrics(db, peaks, load),
          ...(Number.isFinite(recoveryMs) ? { recovery_ms: toMetric('recovery_ms', recoveryMs) } : {}),
        },
        samples: load.samples,
        params: {
          workers,
          iterations,
          terminated_backends: timeline.terminated,
          load_calls_after_restart: loadCallsAfter,
          errors: load.metrics.failed.value,
        },
      };
    },
  };
}

/** The black-holed call as a check: failed (not hung, not answered) within the cap. */
function failsInBlackHole(outcome: TimedOutcome | undefined, capMs: number): Check {
  const expected = `fails within ${capMs} ms (DATABASE_OPERATION_TIMEOUT)`;
  if (outcome === undefined) return check('fails_rather_than_hangs', false, `no answer after ${capMs} ms`, expected);
  if (outcome.error === undefined) return check('fails_rather_than_hangs', false, `succeeded after ${outcome.ms} ms`, expected);
  return check('fails_rather_than_hangs', outcome.ms <= capMs, outcome.ms, expected);
}

/**
 * `retry.<id>.black_hole`: on a pool of one connection through a fault proxy, one call succeeds,
 * then the proxy black-holes (accepts bytes, forwards and answers nothing, as a server that
 * stopped answering or a dropped network path) and one call is timed; then the proxy passes again
 * and one call is made. The cap: DATABASE_OPERATION_TIMEOUT (`operationTimeoutSeconds`, 30 s by
 * default), the limit the gate's own data layer puts on every unit of work. What ends the call is
 * the user's own limit (a client-side query timeout such as node-pg's `query_timeout`, their own
 * deadline): the server's statement_timeout never fires, the statement never reached it, and
 * the pool's acquire timeout does not apply to a connection already checked out.
 * Criteria: the call fails rather than hangs, within the cap (timeout_ms: its time to fail); the
 * call once healed succeeds; the pool back to 0 in use.
 */
function blackHole(spec: Spec): ScenarioDefinition {
  return {
    id: `retry.${spec.id}.black_hole`,
    category: 'retry',
    params: {},
    async run(ctx) {
      const capMs = ctx.settings.operationTimeoutSeconds * 1000;
      const { proxy, db } = await openProxiedPoolOfOne(ctx);
      const call = boundCall(db, sharedOf(ctx), ctx.random, spec.operation);
      const sampler = watchPool(db);
      ctx.step('a call before the black hole');
      const before = await timeOutcome(call);
      ctx.step(`a call on a connection the proxy black-holes (cap ${capMs} ms)`);
      const inHole = await callThroughBlackHole(proxy, call, capMs);
      const healed = (await within(timeOutcome(call), capMs)) ?? { error: new Error(`no answer within ${capMs} ms once healed`), ms: capMs };
      const end = await settlePool(db);
      const peaks = sampler.stop();
      const failedInHole = inHole !== undefined && inHole.error !== undefined;
      return {
        checks: [
          check('succeeds_before_black_hole', before.error === undefined, before.error === undefined ? 'succeeded' : String(before.error), 'succeeded'),
          failsInBlackHole(inHole, capMs),
          check('succeeds_once_healed', healed.error === undefined, healed.error === undefined ? healed.ms : String(healed.error), 'succeeded'),
          ...poolChecks(end, peaks),
        ],
        metrics: {
          ...scenarioMetrics(db, peaks),
          ...(failedInHole ? { timeout_ms: toMetric('timeout_ms', inHole.ms) } : {}),
        },
        params: { cap_ms: capMs, acquire_timeout_ms: db.settings.pool.timeoutSeconds * 1000 },
      };
    },
  };
}

/**
 * The retry category on the operation: without a policy transient_failures, backend_restart and
 * black_hole (see each); with one, the specification's five (policy-template.ts).
 */
export function faultsTemplate(spec: Spec): ScenarioDefinition[] {
  const policy = checkedPolicy(spec);
  if (policy) return policyTemplate(spec, policy);
  if (spec.id === '') throw new ProjectError("faults(''): the empty id gives the specification's retry scenarios, which need a policy; give the template an id, or a policy");
  return [transientFailures(spec), backendRestart(spec), blackHole(spec)];
}
