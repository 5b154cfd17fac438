/**
 * The faults template with a declared retry policy: the specification's five retry scenarios on
 * any operation, observed from outside. Each data layer connects through a fault proxy of its own
 * that answers statements with real PostgreSQL errors (a serialization failure 40001, the server's
 * 57P01) instead of forwarding them, delays or black-holes them; what the layer's own retry and
 * breaker do is read off the statements that reach the proxy and when (an attempt is a statement
 * the proxy saw; a retry is a statement after an answered failure; a rejection by an open breaker
 * is a call that ended without one). Nothing of the layer is hooked: perf-gate's own data layer and
 * a user's are measured alike.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultsSpec, RetryPolicy } from '../../api/index.js';
import type { DbSettingsOverrides } from '../../db/settings.js';
import type { Check } from '../../results/types.js';
import type { FaultProxy } from '../../suites/harness/fault-proxy.js';
import { toMetric } from '../../suites/harness/latency-metrics.js';
import { hrClock, LatencyRecorder } from '../../suites/harness/latency-recorder.js';
import { createRandom, type Random } from '../../suites/harness/random.js';
import {
  maxPeaks,
  poolChecks,
  runPoolLoad,
  scenarioMetrics,
  settlePool,
  timeOutcome,
  warmPool,
  watchPool,
  type PoolPeaks,
  type TimedOutcome,
} from '../../suites/pooling/pool-load.js';
import { check, timingCheck, type ScenarioContext, type ScenarioDefinition } from '../../suites/scenario.js';
import { ProjectError } from '../project-files.js';
import { callThroughBlackHole } from './black-hole.js';
import { boundCall, sharedOf } from './operation-call.js';

type Spec = FaultsSpec<unknown, unknown>;

/**
 * transient_failures' criteria, with or without a policy: the error rate the specification allows,
 * and how far the injected failure rate may drift from the configured one before the run is suspect.
 */
export const MAX_ERROR_RATE = 0.05;
export const RATE_TOLERANCE = 0.1;

/** The specification's numbers of the retry category (docs/scenarios.md#retry). */
const TRANSIENT = { workers: 10, calls: 20, minCalls: 10, sqlstate: '40001' };
const BREAKER = { sqlstate: '57P01', openCalls: 10, halfOpenCalls: 3, fastMs: 50, pastRecoveryMs: 30, callsAfter: 5 };
const TIMEOUT = { calls: 10, minCalls: 3, graceMs: 1500, readsAfter: 10 };
const BACKOFF = { calls: 3, earlyMs: 5, late: { ms: 60, ratio: 0.25 }, sqlstate: '40001' };
const STORM = { workers: 50, minWorkers: 10, iterations: 4, stormMs: 300, sqlstate: '57P01', recoverySlackMs: 250, readsAfter: 20 };

/** A statement the proxy saw: when (hrClock ms) and whether it answered it with an error. */
interface SeenStatement {
  at: number;
  injected: boolean;
}

/** The statements (not transaction control) that reached a proxy, in order. */
class StatementLog {
  readonly seen: SeenStatement[] = [];
  private readonly stop: () => void;

  constructor(proxy: FaultProxy) {
    this.stop = proxy.onStatement((event) => {
      if (!event.control) this.seen.push({ at: hrClock(), injected: event.injected !== null });
    });
  }

  get length(): number {
    return this.seen.length;
  }

  since(index: number): SeenStatement[] {
    return this.seen.slice(index);
  }

  close(): void {
    this.stop();
  }
}

/** A policy's numbers, checked: a ProjectError names the value and what was expected. */
export function checkedPolicy(spec: Spec): RetryPolicy | undefined {
  const given = spec.policy;
  if (given === undefined) return undefined;
  const from = `faults('${spec.id}')'s policy`;
  const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (!Array.isArray(given.retryDelaysMs) || !given.retryDelaysMs.every((ms) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
    throw new ProjectError(`${from}: retryDelaysMs is ${JSON.stringify(given.retryDelaysMs)}; expected an array of delays in ms, e.g. [100, 200, 400]`);
  }
  const breaker = given.breaker;
  if (breaker !== undefined && !(Number.isInteger(breaker.failureThreshold) && breaker.failureThreshold >= 1 && positive(breaker.recoveryMs))) {
    throw new ProjectError(`${from}: breaker is ${JSON.stringify(breaker)}; expected { failureThreshold: a whole number >= 1, recoveryMs: ms > 0 }`);
  }
  if (given.timeoutMs !== undefined && !positive(given.timeoutMs)) {
    throw new ProjectError(`${from}: timeoutMs is ${JSON.stringify(given.timeoutMs)}; expected ms > 0`);
  }
  return given;
}

/**
 * The policy as settings of perf-gate's own data layer, which implements retry, breaker and time
 * limit from its settings (a user's layer implements them in its own code, and ignores these).
 */
function layerSettingsOf(policy: RetryPolicy): DbSettingsOverrides {
  const [first = 0, second] = policy.retryDelaysMs;
  return {
    retry: { maxRetries: policy.retryDelaysMs.length, delaySeconds: first / 1000, backoff: second === undefined || first === 0 ? 2 : second / first },
    ...(policy.breaker ? { breaker: { failureThreshold: policy.breaker.failureThreshold, recoveryTimeoutSeconds: policy.breaker.recoveryMs / 1000 } } : {}),
    ...(policy.timeoutMs === undefined ? {} : { operationTimeoutSeconds: policy.timeoutMs / 1000 }),
  };
}

/** A data layer through a fault proxy of its own, with the policy and (optionally) a pool of one. */
async function openThroughProxy(ctx: ScenarioContext, policy: RetryPolicy, poolOfOne: boolean) {
  const proxy = await ctx.startProxy();
  const overrides: DbSettingsOverrides = { ...layerSettingsOf(policy), ...(poolOfOne ? { pool: { size: 1, maxOverflow: 0 } } : {}) };
  const db = await ctx.openDataLayer(overrides, proxy.url(ctx.settings.url));
  return { proxy, db, log: new StatementLog(proxy) };
}

type Layer = Awaited<ReturnType<typeof openThroughProxy>>;

/** Every statement (not transaction control) answered with `sqlstate` while `failing()` says so. */
function failWhile(proxy: FaultProxy, sqlstate: string, failing: () => boolean): Promise<void> {
  return proxy.setMode({ kind: 'fail-statements', decide: () => (failing() ? sqlstate : null) });
}

/** What one call did at the proxy: its statements (when each came), those answered with an error, and those after one (retries). */
interface CallAtProxy {
  outcome: TimedOutcome;
  seen: SeenStatement[];
  statements: number;
  injected: number;
  retried: number;
}

async function callAtProxy(log: StatementLog, call: () => Promise<unknown>): Promise<CallAtProxy> {
  const start = log.length;
  const outcome = await timeOutcome(call);
  const seen = log.since(start);
  const firstInjected = seen.findIndex((s) => s.injected);
  return {
    outcome,
    seen,
    statements: seen.length,
    injected: seen.filter((s) => s.injected).length,
    retried: firstInjected < 0 ? 0 : seen.length - firstInjected - 1,
  };
}

/** Every layer settled; one set of pool checks over them (worst reading of each). */
async function settleAll(layers: readonly Layer[], peaks: PoolPeaks): Promise<Check[]> {
  const ends = await Promise.all(layers.map((layer) => settlePool(layer.db)));
  const worst = ends.reduce((a, b) => (b.inUse > a.inUse ? b : a));
  return poolChecks(worst, peaks);
}

function closeLogs(layers: readonly Layer[]): void {
  for (const layer of layers) layer.log.close();
}

/** Waits until the hrClock reads `at` (at once if it has passed). */
const sleepUntil = (at: number): Promise<unknown> => sleep(Math.max(0, at - hrClock()));

/**
 * `retry.<id>.transient_failures`: 10 workers x 20 calls (scaled, at least 10 each), each worker
 * on a pool of one connection through its own proxy (so every statement is the call's own), each
 * statement answered with a serialization failure (40001) with the configured probability (0.3,
 * drawn from the seeded random per worker). Criteria: the injected rate (answered / statements)
 * within 0.1 of the configured one; the recovery rate (calls that saw a failure and succeeded /
 * calls that saw one) above it; error rate < 5%; every failed call made the policy's attempts
 * (retries + 1) and no call more; no call failed that saw no failure; pools back to 0 in use.
 */
function transientFailures(spec: Spec, policy: RetryPolicy, ids: ScenarioIds): ScenarioDefinition {
  return {
    id: ids('transient_failures'),
    category: 'retry',
    params: { workers: TRANSIENT.workers, calls: TRANSIENT.calls },
    async run(ctx) {
      const rate = ctx.options.transientFailureRate;
      const calls = ctx.scaled(TRANSIENT.calls, TRANSIENT.minCalls);
      const attempts = policy.retryDelaysMs.length + 1;
      ctx.step(`${TRANSIENT.workers} pools of one through a proxy each`);
      const layers: Layer[] = [];
      for (let w = 0; w < TRANSIENT.workers; w++) layers.push(await openThroughProxy(ctx, policy, true));
      // A random source per worker, seeded from the scenario's: each worker's sequence of failures is the seed's whatever the interleaving.
      await Promise.all(layers.map((layer) => {
        const random = createRandom(ctx.random.int(0, 2 ** 32 - 1));
        return failWhile(layer.proxy, TRANSIENT.sqlstate, () => random.chance(rate));
      }));
      const recorder = new LatencyRecorder();
      const seen: CallAtProxy[] = [];
      const samplers = layers.map((layer) => watchPool(layer.db));
      ctx.step(`${TRANSIENT.workers} x ${calls} calls, ${Math.round(rate * 100)}% of statements answered with ${TRANSIENT.sqlstate}`);
      await Promise.all(layers.map(async (layer) => {
        const call = boundCall(layer.db, sharedOf(ctx), ctx.random, spec.operation);
        for (let i = 0; i < calls && !ctx.signal.aborted; i++) {
          await recorder.measure(async () => {
            const at = await callAtProxy(layer.log, call);
            seen.push(at);
            if (at.outcome.error !== undefined) throw at.outcome.error;
          });
        }
      }));
      const peaks = maxPeaks(...samplers.map((s) => s.stop()));
      const pool = await settleAll(layers, peaks);
      closeLogs(layers);
      const statements = seen.reduce((sum, c) => sum + c.statements, 0);
      const injected = seen.reduce((sum, c) => sum + c.injected, 0);
      const failed = (c: CallAtProxy) => c.outcome.error !== undefined;
      const hit = seen.filter((c) => c.injected > 0);
      const failureRate = injected / Math.max(1, statements);
      const recoveryRate = hit.length === 0 ? 1 : hit.filter((c) => !failed(c)).length / hit.length;
      const metrics = recorder.metrics();
      const errorRate = metrics.error_rate.value;
      const offPolicy = seen.filter((c) => c.injected > attempts || (failed(c) && c.injected > 0 && c.injected !== attempts)).length;
      const unhitFailed = seen.filter((c) => failed(c) && c.injected === 0).length;
      return {
        checks: [
          check('failures_injected_at_configured_rate', Math.abs(failureRate - rate) <= RATE_TOLERANCE, failureRate, `${rate} ± ${RATE_TOLERANCE}`),
          check('recovery_rate_above_failure_rate', recoveryRate > failureRate, recoveryRate, `> ${failureRate.toFixed(3)} (failure rate)`),
          check('error_rate_below_5_percent', errorRate < MAX_ERROR_RATE, errorRate, `< ${MAX_ERROR_RATE}`),
          check('attempts_as_policy', offPolicy === 0, `${offPolicy} calls off the policy`, `every failed call made ${attempts} attempts (${attempts - 1} retries), no call more`),
          check('only_failed_statements_failed_calls', unhitFailed === 0, unhitFailed, '0 failed calls without an injected failure'),
          ...pool,
        ],
        metrics: {
          ...metrics,
          ...scenarioMetrics(layers[0]!.db, peaks),
          failure_rate: toMetric('failure_rate', failureRate),
          recovery_rate: toMetric('recovery_rate', recoveryRate),
          retries: toMetric('retries', seen.reduce((sum, c) => sum + c.retried, 0)),
        },
        samples: recorder.samples(),
        params: {
          workers: TRANSIENT.workers,
          calls,
          failureRate: rate,
          statements,
          injected,
          sqlstate: TRANSIENT.sqlstate,
          errors: Object.entries(recorder.errorCounts()).map(([key, count]) => `${key} ${count}`).join(', '),
        },
      };
    },
  };
}

/** Calls one after another until one ends without a statement reaching the proxy (at most `limit`). */
async function tripBreaker(layer: Layer, call: () => Promise<unknown>, limit: number) {
  const calls: CallAtProxy[] = [];
  while (calls.length < limit) {
    const at = await callAtProxy(layer.log, call);
    calls.push(at);
    if (at.statements === 0) break;
  }
  const rejected = calls.at(-1)?.statements === 0;
  return { rejected, failures: calls.reduce((sum, c) => sum + c.injected, 0), calls: calls.length };
}
const lastStatementAt = (log: StatementLog) => log.seen.at(-1)?.at ?? hrClock();

/** Calls while open, the last at half the recovery time: rejected (failed), fast, with no statement. */
async function callWhileOpen(layer: Layer, call: () => Promise<unknown>, recoveryMs: number) {
  const start = layer.log.length;
  const outcomes: TimedOutcome[] = [];
  for (let i = 1; i < BREAKER.openCalls; i++) outcomes.push(await timeOutcome(call));
  await sleep(recoveryMs / 2);
  outcomes.push(await timeOutcome(call));
  return {
    rejected: outcomes.filter((o) => o.error !== undefined).length,
    slowestMs: Math.max(...outcomes.map((o) => o.ms)),
    statements: layer.log.length - start,
  };
}

/** Once the recovery time has passed since `since`, concurrent calls: how many statements reached the proxy. */
async function callsAfterRecovery(layer: Layer, call: () => Promise<unknown>, since: number, recoveryMs: number) {
  await sleepUntil(since + recoveryMs + BREAKER.pastRecoveryMs);
  const start = layer.log.length;
  const startedAt = hrClock();
  const outcomes = await Promise.all(Array.from({ length: BREAKER.halfOpenCalls }, () => timeOutcome(call)));
  return { outcomes, startedAt, statements: layer.log.length - start };
}

/**
 * `retry.<id>.circuit_breaker`: a pool of one through a proxy; one call succeeds, then the proxy
 * answers every statement with 57P01 (the server shutting down, an outage): calls until one ends
 * without reaching the server; calls while open (the last at half the recovery time); after the
 * recovery time 3 concurrent calls (the half-open probe, still failing), one call right after; the
 * proxy heals; after the recovery time again, calls succeed. Criteria: the breaker opens at its
 * threshold (failures that reached the server = threshold, or threshold x attempts per call for a
 * breaker around the retries); every call while open fails within 50 ms without a statement; one
 * statement of the 3 half-open calls; rejected again after the failed probe; once healed, at least
 * one of 3 concurrent calls (the probe; a breaker may reject the others while it is out) and then
 * 5 calls succeed; the pool back to 0 in use.
 */
function circuitBreaker(spec: Spec, policy: RetryPolicy, ids: ScenarioIds): ScenarioDefinition {
  return {
    id: ids('circuit_breaker'),
    category: 'retry',
    params: { openCalls: BREAKER.openCalls, halfOpenCalls: BREAKER.halfOpenCalls },
    async run(ctx) {
      const breaker = policy.breaker!;
      const attempts = policy.retryDelaysMs.length + 1;
      const layer = await openThroughProxy(ctx, policy, true);
      const call = boundCall(layer.db, sharedOf(ctx), ctx.random, spec.operation);
      const sampler = watchPool(layer.db);
      ctx.step('a call on a healthy server');
      const before = await timeOutcome(call);
      let failing = true;
      await failWhile(layer.proxy, BREAKER.sqlstate, () => failing);
      ctx.step(`calls while every statement is answered ${BREAKER.sqlstate}, until the breaker opens`);
      const trip = await tripBreaker(layer, call, breaker.failureThreshold + 2);
      const openedAt = lastStatementAt(layer.log);
      const open = await callWhileOpen(layer, call, breaker.recoveryMs);
      ctx.step('half-open: concurrent calls after the recovery time, the server still failing');
      const halfOpen = await callsAfterRecovery(layer, call, openedAt, breaker.recoveryMs);
      const reopenedAt = lastStatementAt(layer.log);
      const reopened = await callAtProxy(layer.log, call);
      failing = false;
      const healedAt = hrClock();
      ctx.step('the server healed: calls after the recovery time');
      const healed = await callsAfterRecovery(layer, call, reopenedAt, breaker.recoveryMs);
      const probeAt = layer.log.seen.find((s) => s.at > reopenedAt)?.at ?? Number.NaN;
      const after = await Promise.all(Array.from({ length: BREAKER.callsAfter }, () => timeOutcome(call)));
      const peaks = sampler.stop();
      const pool = await settleAll([layer], peaks);
      closeLogs([layer]);
      const firstSuccessMs = Math.min(...healed.outcomes.filter((o) => o.error === undefined).map((o) => o.ms));
      const recoveredMs = healed.startedAt + firstSuccessMs - healedAt;
      const succeeded = after.filter((o) => o.error === undefined).length;
      const threshold = breaker.failureThreshold;
      const opensAt = [threshold, threshold * attempts];
      return {
        checks: [
          check('succeeds_before_failures', before.error === undefined, before.error === undefined ? 'succeeded' : String(before.error), 'succeeded'),
          check('opens_at_threshold', trip.rejected && opensAt.includes(trip.failures), trip.rejected ? trip.failures : `still reaching the server after ${trip.calls} calls`, `${threshold} failures (or ${threshold * attempts}: ${threshold} calls of ${attempts} attempts)`),
          check('open_rejects_every_call', open.rejected === BREAKER.openCalls, `${open.rejected} of ${BREAKER.openCalls}`, `${BREAKER.openCalls} of ${BREAKER.openCalls}, the last at half the recovery time`),
          timingCheck('open_rejects_fast', open.slowestMs < BREAKER.fastMs, open.slowestMs, `< ${BREAKER.fastMs} ms`),
          check('open_makes_no_attempt', open.statements === 0, open.statements, '0 statements reach the server'),
          check('half_open_single_probe', halfOpen.statements === 1, halfOpen.statements, `1 statement of ${BREAKER.halfOpenCalls} concurrent calls`),
          check('reopens_after_failed_probe', reopened.statements === 0 && reopened.outcome.error !== undefined, reopened.statements, 'rejected, 0 statements'),
          check('probe_succeeds_once_healed', Number.isFinite(firstSuccessMs), `${healed.outcomes.length - healed.outcomes.filter((o) => o.error !== undefined).length} of ${healed.outcomes.length}`, `at least 1 of ${BREAKER.halfOpenCalls} concurrent calls after the recovery time`),
          check('calls_succeed_after_recovery', succeeded === after.length, succeeded, `${after.length} of ${after.length}`),
          ...pool,
        ],
        metrics: {
          ...scenarioMetrics(layer.db, peaks),
          ...(Number.isFinite(probeAt) ? { breaker_open_ms: toMetric('breaker_open_ms', probeAt - reopenedAt) } : {}),
          ...(Number.isFinite(recoveredMs) ? { recovery_ms: toMetric('recovery_ms', recoveredMs) } : {}),
        },
        params: { failureThreshold: threshold, recoveryMs: breaker.recoveryMs, attempts, sqlstate: BREAKER.sqlstate },
      };
    },
  };
}

/** The calls' failures as a check: each failed within the cap (not answered; undefined: still waiting at the cap). */
function failsWithin(name: string, outcomes: ReadonlyArray<TimedOutcome | undefined>, capMs: number): Check {
  const expected = `every call fails within ${capMs} ms`;
  const hung = outcomes.filter((o) => o === undefined).length;
  if (hung > 0) return check(name, false, `${hung} of ${outcomes.length} with no answer after ${capMs} ms`, expected);
  const ended = outcomes.filter((o): o is TimedOutcome => o !== undefined);
  const answered = ended.filter((o) => o.error === undefined).length;
  if (answered > 0) return check(name, false, `${answered} of ${outcomes.length} succeeded`, expected);
  const slowest = Math.max(...ended.map((o) => o.ms));
  return timingCheck(name, slowest <= capMs, slowest, expected);
}

/**
 * `retry.<id>.timeout`: a layer through a proxy (its pool warmed); 10 calls at once (scaled, at
 * least 3) while the proxy holds every byte for the cap, timeoutMs + 1.5 s, each way (a server
 * too slow to answer within it: a round trip takes twice the cap); then a call while the proxy
 * black-holes (a silent server); then the proxy passes and 10 calls are made. The 1.5 s are room
 * for a layer that first asks the server to cancel and then gives up on its own. Criteria: every
 * slow call and the black-holed call fail within the cap; calls succeed once healed; the pool back
 * to 0 in use.
 */
function timeout(spec: Spec, policy: RetryPolicy, ids: ScenarioIds): ScenarioDefinition {
  return {
    id: ids('timeout'),
    category: 'retry',
    params: { slowCalls: TIMEOUT.calls },
    async run(ctx) {
      const limitMs = policy.timeoutMs!;
      const capMs = limitMs + TIMEOUT.graceMs;
      const count = ctx.scaled(TIMEOUT.calls, TIMEOUT.minCalls);
      const layer = await openThroughProxy(ctx, policy, false);
      const call = boundCall(layer.db, sharedOf(ctx), ctx.random, spec.operation);
      await warmPool(layer.db);
      const sampler = watchPool(layer.db);
      ctx.step(`${count} calls at once, every byte held ${capMs} ms each way`);
      await layer.proxy.setMode({ kind: 'delay', ms: capMs });
      const slow = await Promise.all(Array.from({ length: count }, () => timeOutcome(call)));
      ctx.step(`a call on a connection the proxy black-holes (cap ${capMs} ms)`);
      const silent = await callThroughBlackHole(layer.proxy, call, capMs);
      ctx.step('calls once healed');
      const after = await runPoolLoad(layer.db, { concurrency: 5, iterations: Math.max(1, Math.round(TIMEOUT.readsAfter / 5)), operation: call, signal: ctx.signal });
      const peaks = maxPeaks(sampler.stop(), after.peaks);
      const pool = await settleAll([layer], peaks);
      closeLogs([layer]);
      const failedAfter = after.metrics.failed.value;
      return {
        checks: [
          failsWithin('slow_calls_time_out', slow, capMs),
          failsWithin('silent_call_times_out', [silent], capMs),
          check('calls_succeed_once_healed', failedAfter === 0, `${after.metrics.successful.value} of ${after.metrics.total.value}`, 'all'),
          ...pool,
        ],
        metrics: {
          ...scenarioMetrics(layer.db, peaks, after),
          timeout_ms: toMetric('timeout_ms', Math.max(...slow.map((o) => o.ms), silent?.ms ?? capMs)),
        },
        samples: after.samples,
        params: { slowCalls: count, limitMs, capMs },
      };
    },
  };
}

/**
 * `retry.<id>.exponential_backoff`: 3 calls at once (scaled, at least 1), each on a pool of one
 * through its own proxy, which answers the first `retries` statements with 40001 and then passes:
 * every retry of the policy occurs. The gap from each answered failure to the next statement is
 * the layer's delay. Criteria: every call succeeds on its last attempt (retries + 1 statements);
 * every gap n is at least the policy's delay n (less 5 ms for the event loop's cached clock) and
 * at most max(60 ms, 25%) later.
 */
function exponentialBackoff(spec: Spec, policy: RetryPolicy, ids: ScenarioIds): ScenarioDefinition {
  return {
    id: ids('exponential_backoff'),
    category: 'retry',
    params: { calls: BACKOFF.calls },
    async run(ctx) {
      const planned = policy.retryDelaysMs;
      const count = ctx.scaled(BACKOFF.calls, 1);
      const layers: Layer[] = [];
      for (let i = 0; i < count; i++) layers.push(await openThroughProxy(ctx, policy, true));
      // Opens each pool's connection with a statement before the failures start.
      await Promise.all(layers.map((layer) => layer.db.withSession((s) => s.em.execute('select 1'))));
      await Promise.all(layers.map((layer) => {
        let answered = 0;
        return failWhile(layer.proxy, BACKOFF.sqlstate, () => answered++ < planned.length);
      }));
      const samplers = layers.map((layer) => watchPool(layer.db));
      ctx.step(`${count} calls whose first ${planned.length} statements are answered ${BACKOFF.sqlstate}`);
      const runs = await Promise.all(layers.map((layer) => callAtProxy(layer.log, boundCall(layer.db, sharedOf(ctx), ctx.random, spec.operation))));
      const peaks = maxPeaks(...samplers.map((s) => s.stop()));
      const pool = await settleAll(layers, peaks);
      const gaps = runs.map(({ seen }) => planned.map((_, n) => (seen[n + 1]?.at ?? Number.NaN) - (seen[n]?.at ?? Number.NaN)));
      closeLogs(layers);
      const allowedLate = (ms: number) => Math.max(BACKOFF.late.ms, ms * BACKOFF.late.ratio);
      const deviations = gaps.flatMap((g) => g.map((gap, n) => gap - planned[n]!));
      const offPlan = deviations.filter((d, i) => !(d >= -BACKOFF.earlyMs && d <= allowedLate(planned[i % planned.length]!))).length;
      const attempts = planned.length + 1;
      return {
        checks: [
          check('succeeded_on_last_attempt', runs.every((r) => r.outcome.error === undefined && r.statements === attempts), runs.map((r) => r.statements).join(','), `${attempts} statements each, success`),
          timingCheck(
            'delays_follow_progression',
            offPlan === 0,
            gaps.map((g) => g.map((ms) => ms.toFixed(1)).join('/')).join(' '),
            `${planned.join('/')} ms, each >= planned - ${BACKOFF.earlyMs} ms and <= planned + max(${BACKOFF.late.ms} ms, ${BACKOFF.late.ratio * 100}%)`,
          ),
          ...pool,
        ],
        metrics: {
          ...scenarioMetrics(layers[0]!.db, peaks),
          backoff_error_ms: toMetric('backoff_error_ms', Math.max(0, ...deviations.map(Math.abs).filter(Number.isFinite))),
          retries: toMetric('retries', runs.reduce((sum, r) => sum + r.retried, 0)),
        },
        params: { calls: count, plannedMs: planned.join(','), sqlstate: BACKOFF.sqlstate },
      };
    },
  };
}

/** One call of the storm: when it started (hrClock) and ended, and whether it succeeded. */
interface StormCall {
  startedAt: number;
  endedAt: number;
  ok: boolean;
}

/**
 * When each worker starts its calls, ms after the start: all at once at 0 (the storm), the rest at
 * seeded random times over 2 x (storm + recovery), so calls keep arriving while a breaker is open
 * and after it closes.
 */
function drawSchedule(random: Random, workers: number, recoveryMs: number): number[][] {
  const spanMs = 2 * (STORM.stormMs + recoveryMs);
  return Array.from({ length: workers }, () => [0, ...Array.from({ length: STORM.iterations - 1 }, () => random.next() * spanMs).sort((a, b) => a - b)]);
}

/**
 * `retry.<id>.retry_storm`: 50 workers (scaled, at least 10) x 4 calls on a layer through a proxy
 * (the layer's own pool); every worker makes its first call at once, and for the first 300 ms
 * every statement is answered 57P01; then the server heals. The other calls arrive at seeded
 * random times over 2 x (storm + recovery time). Then 20 calls. Criteria: the storm's attempts
 * bounded (statements that reached the server <= calls x (retries + 1)); every call started after
 * the recovery time past healing succeeded (at least one); a success within the recovery time +
 * 250 ms of healing; the 20 calls after succeed; the pool never over its max and back to 0 in use.
 */
function retryStorm(spec: Spec, policy: RetryPolicy, ids: ScenarioIds): ScenarioDefinition {
  return {
    id: ids('retry_storm'),
    category: 'retry',
    params: { workers: STORM.workers, iterations: STORM.iterations, stormMs: STORM.stormMs },
    async run(ctx) {
      const recoveryMs = policy.breaker?.recoveryMs ?? 0;
      const workers = ctx.scaled(STORM.workers, STORM.minWorkers);
      const layer = await openThroughProxy(ctx, policy, false);
      const call = boundCall(layer.db, sharedOf(ctx), ctx.random, spec.operation);
      const schedule = drawSchedule(ctx.random, workers, recoveryMs);
      const recorder = new LatencyRecorder();
      const sampler = watchPool(layer.db);
      const calls: StormCall[] = [];
      const start = hrClock();
      const healAt = start + STORM.stormMs;
      await failWhile(layer.proxy, STORM.sqlstate, () => hrClock() < healAt);
      ctx.step(`${workers} workers x ${STORM.iterations} calls, every statement answered ${STORM.sqlstate} for ${STORM.stormMs} ms`);
      await Promise.all(
        schedule.map(async (times) => {
          for (const at of times) {
            await sleepUntil(start + at);
            const entry: StormCall = { startedAt: hrClock(), endedAt: Number.NaN, ok: false };
            calls.push(entry);
            const outcome = await recorder.measure(call);
            entry.endedAt = hrClock();
            entry.ok = outcome.kind === 'ok';
          }
        }),
      );
      const stormStatements = layer.log.seen.filter((s) => s.at < healAt).length;
      const stormCalls = calls.filter((c) => c.startedAt < healAt).length;
      await layer.proxy.setMode({ kind: 'pass' });
      ctx.step(`${STORM.readsAfter} calls after the storm`);
      const after = await runPoolLoad(layer.db, { concurrency: 5, iterations: STORM.readsAfter / 5, operation: call, signal: ctx.signal });
      const peaks = maxPeaks(sampler.stop(), after.peaks);
      const pool = await settleAll([layer], peaks);
      closeLogs([layer]);
      const attempts = policy.retryDelaysMs.length + 1;
      const healthyFrom = healAt + recoveryMs + STORM.recoverySlackMs;
      const late = calls.filter((c) => c.startedAt >= healthyFrom);
      const firstSuccess = Math.min(...calls.filter((c) => c.ok).map((c) => c.endedAt));
      const recoveredMs = firstSuccess - healAt;
      const recoveryLimitMs = recoveryMs + STORM.recoverySlackMs;
      const tally = (list: StormCall[]) => `${list.filter((c) => c.ok).length} of ${list.length}`;
      return {
        checks: [
          check('storm_attempts_bounded', stormStatements <= stormCalls * attempts, stormStatements, `<= ${stormCalls * attempts} (${stormCalls} calls x ${attempts} attempts)`),
          check('calls_after_recovery_succeed', late.length > 0 && late.every((c) => c.ok), tally(late), 'all, at least one'),
          timingCheck('recovered_after_heal', recoveredMs <= recoveryLimitMs, Number.isFinite(recoveredMs) ? recoveredMs : 'never', `<= ${recoveryLimitMs} ms`),
          check('calls_succeed_after_storm', after.metrics.failed.value === 0, `${after.metrics.successful.value} of ${after.metrics.total.value}`, 'all'),
          ...pool,
        ],
        metrics: {
          ...recorder.metrics(),
          ...scenarioMetrics(layer.db, peaks),
          ...(Number.isFinite(recoveredMs) ? { recovery_ms: toMetric('recovery_ms', recoveredMs) } : {}),
        },
        samples: recorder.samples(),
        params: { workers, iterations: STORM.iterations, stormMs: STORM.stormMs, storm_statements: stormStatements, storm_calls: stormCalls },
      };
    },
  };
}

type ScenarioIds = (name: string) => string;

/**
 * The specification's five retry scenarios on the operation, for a faults template with a policy:
 * circuit_breaker only with `policy.breaker`, timeout only with `policy.timeoutMs`.
 */
export function policyTemplate(spec: Spec, policy: RetryPolicy): ScenarioDefinition[] {
  const ids: ScenarioIds = (name) => (spec.id === '' ? `retry.${name}` : `retry.${spec.id}.${name}`);
  return [
    transientFailures(spec, policy, ids),
    ...(policy.breaker ? [circuitBreaker(spec, policy, ids)] : []),
    ...(policy.timeoutMs === undefined ? [] : [timeout(spec, policy, ids)]),
    exponentialBackoff(spec, policy, ids),
    retryStorm(spec, policy, ids),
  ];
}
