/**
 * A code regression on demand, for the duet validation (scripts/validate-duet.ts): the head arm's
 * worker is started with PERF_GATE_WORKER_TEST_REGRESSION=extra-round-trip:<scenario id>, and every
 * read session of that scenario makes one more round trip to the server (`select 1`) after its own
 * work, as a lookup that gained a needless query would. Only the worker entry reads the variable.
 */
import type { DataLayerUnderTest } from '../suites/subject.js';

/** The regression a worker applies to one scenario's data layer. */
export interface WorkerTestRegression {
  kind: 'extra-round-trip';
  scenarioId: string;
}

/** Reads PERF_GATE_WORKER_TEST_REGRESSION; anything but `extra-round-trip:<id>` means no regression. */
export function readTestRegression(env: Readonly<Record<string, string | undefined>>): WorkerTestRegression | undefined {
  const match = /^extra-round-trip:(.+)$/.exec(env.PERF_GATE_WORKER_TEST_REGRESSION ?? '');
  return match ? { kind: 'extra-round-trip', scenarioId: match[1]! } : undefined;
}

/**
 * The data layer scenario `id` sees: `db` itself, or, when the regression names the scenario, `db`
 * whose reads end with one extra round trip in the same session (so on the same connection, inside
 * the read's retry and breaker like the read's own query).
 */
export function applyTestRegression(db: DataLayerUnderTest, regression: WorkerTestRegression | undefined, id: string): DataLayerUnderTest {
  if (regression?.scenarioId !== id) return db;
  return {
    get settings() {
      return db.settings;
    },
    get sessions() {
      return db.sessions;
    },
    get resilience() {
      return db.resilience;
    },
    withSession: (fn, options) => db.withSession(fn, options),
    read: (fn, options) =>
      db.read(async (session) => {
        const result = await fn(session);
        await session.em.getConnection().execute('select 1');
        return result;
      }, options),
    write: (fn, options) => db.write(fn, options),
    poolStats: () => db.poolStats(),
    migrate: () => db.migrate(),
    close: () => db.close(),
  };
}
