/**
 * The repository operations the session scenarios run, through each way of opening a session
 * (withSession, read, write), and a load run that samples the pool while they run.
 */
import type { Metric } from '../../results/types.js';
import type { LatencyRecorder } from '../harness/latency-recorder.js';
import { runLoad, type LoadResult } from '../harness/load-runner.js';
import { poolReadings, readResourceMetrics } from '../resource-metrics.js';
import type { ScenarioContext } from '../scenario.js';
import type { DataLayerUnderTest, Session } from '../subject.js';

/** How an operation opens its session. */
export type SessionKind = 'session' | 'read' | 'write';

/** Called with every session an operation is handed (e.g. to keep a WeakRef to its EntityManager). */
export type SessionObserver = (session: Session) => void;

/** One unit of work on a random live user, through the helper `kind` names. */
export function runRepositoryOperation(
  ctx: ScenarioContext,
  kind: SessionKind,
  observe: SessionObserver = () => undefined,
): Promise<unknown> {
  const user = ctx.random.pick(ctx.seed.live);
  switch (kind) {
    case 'session':
      return ctx.db.withSession((s) => {
        observe(s);
        return s.users.getByUsername(user.username);
      });
    case 'read':
      return ctx.db.read(async (s) => {
        observe(s);
        return s.users.search({ emailDomain: user.email.split('@')[1], limit: 10 });
      });
    case 'write':
      // Assigning the current email changes no column, but writes the audit row in a transaction.
      return ctx.db.write((s) => {
        observe(s);
        return s.users.updateUser(user.id, { email: user.email }, 'perf-gate');
      });
  }
}

/** A random mix: 40% withSession, 40% read, 20% write (seeded). */
export function pickSessionKind(ctx: ScenarioContext): SessionKind {
  const roll = ctx.random.next();
  return roll < 0.4 ? 'session' : roll < 0.8 ? 'read' : 'write';
}

/** A mixed repository operation, for load runs. */
export function mixedOperation(ctx: ScenarioContext, observe?: SessionObserver): () => Promise<unknown> {
  return () => runRepositoryOperation(ctx, pickSessionKind(ctx), observe);
}

/** Runs `operation` under load (recording into `recorder` if given) while sampling the pool's in-use and waiting counts. */
export function runSessionLoad(
  db: DataLayerUnderTest,
  concurrency: number,
  iterations: number,
  operation: () => Promise<unknown>,
  recorder?: LatencyRecorder,
): Promise<LoadResult<'poolInUse' | 'poolWaiting'>> {
  return runLoad({ concurrency, iterations, operation, recorder, onTick: { everyMs: 5, read: poolReadings(db) } });
}

/** The load's throughput and latency metrics with the data layer's resource metrics. */
export function loadMetrics(db: DataLayerUnderTest, load: LoadResult<'poolInUse' | 'poolWaiting'>): Record<string, Metric> {
  return { ...load.metrics, ...readResourceMetrics(db, load.peaks) };
}
