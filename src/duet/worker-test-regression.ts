/**
 * A code regression on demand, for the duet validations (scripts/validate-duet.ts,
 * scripts/validate-cpu.ts): the head arm's worker is started with PERF_GATE_WORKER_TEST_REGRESSION
 * set, and the reads of one scenario change, as a lookup that gained work would:
 *  - `extra-round-trip:<id>`: every read session makes one more round trip to the server
 *    (`select 1`) after its own work, as a lookup that gained a needless query would;
 *  - `busy-wait:<us>:<id>`: every read spins the CPU for `<us>` microseconds after its own work,
 *    as a lookup that gained client-side work (mapping, validation) would.
 * Only the worker entry reads the variable.
 */
import type { DataLayerUnderTest } from '../suites/subject.js';

/** The regression a worker applies to one scenario's data layer. */
export type WorkerTestRegression = { kind: 'extra-round-trip'; scenarioId: string } | { kind: 'busy-wait'; microseconds: number; scenarioId: string };

/**
 * Reads PERF_GATE_WORKER_TEST_REGRESSION; anything but `extra-round-trip:<id>` or
 * `busy-wait:<us>:<id>` (us a whole number above 0) means no regression.
 */
export function readTestRegression(env: Readonly<Record<string, string | undefined>>): WorkerTestRegression | undefined {
  const text = env.PERF_GATE_WORKER_TEST_REGRESSION ?? '';
  const trip = /^extra-round-trip:(.+)$/.exec(text);
  if (trip) return { kind: 'extra-round-trip', scenarioId: trip[1]! };
  const busy = /^busy-wait:([1-9]\d*):(.+)$/.exec(text);
  return busy ? { kind: 'busy-wait', microseconds: Number(busy[1]), scenarioId: busy[2]! } : undefined;
}

/** Spins the CPU (no yield) until `microseconds` have passed. */
export function busyWait(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until) {
    // spinning on purpose: the regression is CPU time in the call
  }
}

/**
 * The data layer scenario `id` sees: `db` itself, or, when the regression names the scenario, `db`
 * whose reads end with the regression's extra work in the same session (so on the same connection,
 * inside the read's retry and breaker like the read's own query).
 */
export function applyTestRegression(db: DataLayerUnderTest, regression: WorkerTestRegression | undefined, id: string): DataLayerUnderTest {
  if (regression?.scenarioId !== id) return db;
  const extra =
    regression.kind === 'busy-wait'
      ? () => Promise.resolve(busyWait(regression.microseconds))
      : (session: Parameters<Parameters<DataLayerUnderTest['read']>[0]>[0]) => session.em.getConnection().execute('select 1').then(() => undefined);
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
        await extra(session);
        return result;
      }, options),
    write: (fn, options) => db.write(fn, options),
    poolStats: () => db.poolStats(),
    migrate: () => db.migrate(),
    close: () => db.close(),
  };
}
