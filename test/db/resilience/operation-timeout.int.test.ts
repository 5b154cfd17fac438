import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLayer } from '../../../src/db/data-layer.js';
import { OperationTimeoutError } from '../../../src/db/errors.js';
import { makeDbSettings } from '../../../src/db/settings.js';
import { backendPid } from '../../../src/suites/harness/backend-pid.js';
import { startFaultProxy } from '../../../src/suites/harness/fault-proxy.js';
import { openTestDataLayer, type TestDataLayer } from '../../support/data-layer.js';

/** DATABASE_OPERATION_TIMEOUT is the default limit of every unit of work (read, write, withSession). */

let t: TestDataLayer;
beforeAll(async () => {
  t = await openTestDataLayer();
});
afterAll(() => t.cleanup());

/** The setting under test, seconds; the margins below are generous multiples of nothing machine-specific. */
const SETTING_SECONDS = 1;
const SETTING_MS = SETTING_SECONDS * 1000;
/** A timed-out unit returns within the setting plus this (the client backstop is the setting + 1 s). */
const MARGIN_MS = 2000;

async function timed<T>(work: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('DATABASE_OPERATION_TIMEOUT', () => {
  it('ends a plain read running past it with OperationTimeoutError, and the pooled connection serves the next read', async () => {
    const db = await t.openAnother({ pool: { size: 1, maxOverflow: 0 }, operationTimeoutSeconds: SETTING_SECONDS });
    const pid = await db.read((s) => backendPid(s.em));
    const { error, ms } = await timed(() => db.read((s) => s.em.execute('select pg_sleep(6)')));
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect(error).toMatchObject({ limitMs: SETTING_MS, source: 'DATABASE_OPERATION_TIMEOUT' });
    expect((error as Error).message).toContain('DATABASE_OPERATION_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(SETTING_MS * 0.8);
    expect(ms).toBeLessThan(SETTING_MS + MARGIN_MS);
    expect(db.resilience.snapshot().retries).toBe(0);
    // The server cancelled the statement, so the same backend is back in the pool, idle and usable.
    expect(db.poolStats().inUse).toBe(0);
    expect(await db.read((s) => backendPid(s.em))).toBe(pid);
  });

  it('limits writes and withSession too; a timed-out write commits nothing', async () => {
    const db = await t.openAnother({ operationTimeoutSeconds: SETTING_SECONDS });
    const session = await timed(() => db.withSession((s) => s.em.execute('select pg_sleep(6)')));
    expect(session.error).toBeInstanceOf(OperationTimeoutError);
    expect(session.ms).toBeLessThan(SETTING_MS + MARGIN_MS);

    const write = await timed(() =>
      db.write(async (s) => {
        await s.users.createUser({ username: 'slow_write', email: 'slow_write@example.com' });
        await s.em.execute('select pg_sleep(6)');
      }),
    );
    expect(write.error).toBeInstanceOf(OperationTimeoutError);
    expect(write.ms).toBeLessThan(SETTING_MS + MARGIN_MS);
    await expect(t.db.read((s) => s.users.getByUsername('slow_write'))).rejects.toThrow(/not found/);
  });

  it('bounds a unit whose statements are each under the limit, and the late work never commits', async () => {
    const db = await t.openAnother({ operationTimeoutSeconds: SETTING_SECONDS });
    let finished = false;
    const { error, ms } = await timed(() =>
      db.write(async (s) => {
        // Four statements of 0.6 s: each under the server's limit, 2.4 s together.
        for (let i = 0; i < 4; i += 1) await s.em.execute('select pg_sleep(0.6)');
        await s.users.createUser({ username: 'late_write', email: 'late_write@example.com' });
        finished = true;
      }),
    );
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect(ms).toBeLessThan(SETTING_MS + MARGIN_MS);
    // Wait until the abandoned work has run to its end: it must have rolled back, not committed.
    const until = performance.now() + 5000;
    while (!finished && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(t.db.read((s) => s.users.getByUsername('late_write'))).rejects.toThrow(/not found/);
  });

  it("gives way to the caller's own limit, longer or shorter", async () => {
    const db = await t.openAnother({ operationTimeoutSeconds: SETTING_SECONDS });
    const rows = await db.read((s) => s.em.execute('select pg_sleep(1.5), 1 as one'), { timeoutMs: 5000 });
    expect(rows[0]!.one).toBe(1);
    const short = await timed(() => db.read((s) => s.em.execute('select pg_sleep(6)'), { timeoutMs: 200 }));
    expect(short.error).toMatchObject({ name: 'OperationTimeoutError', limitMs: 200, source: 'caller' });
  });

  it('gives up a plain read on a black-holed server at the client-side backstop', async () => {
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: Number(new URL(t.database.url).port || 5432) });
    const db = await DataLayer.open(
      makeDbSettings(proxy.url(t.database.url), { pool: { size: 1, maxOverflow: 0 }, operationTimeoutSeconds: SETTING_SECONDS }),
    );
    try {
      await db.read((s) => s.em.execute('select 1'));
      await proxy.setMode({ kind: 'blackhole' });
      const { error, ms } = await timed(() => db.read((s) => s.em.execute('select 1')));
      expect(error).toBeInstanceOf(OperationTimeoutError);
      expect(ms).toBeLessThan(SETTING_MS + MARGIN_MS);
      expect(db.resilience.snapshot().retries).toBe(0);
    } finally {
      await proxy.close();
      await db.close();
    }
  });
});
