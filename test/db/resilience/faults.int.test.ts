import { BrokenCircuitError } from 'cockatiel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLayer } from '../../../src/db/data-layer.js';
import { OperationTimeoutError, PoolTimeoutError, UniqueViolationError } from '../../../src/db/errors.js';
import { backendPid } from '../../../src/suites/harness/backend-pid.js';
import { terminateBackendsByPid } from '../../../src/suites/harness/terminate-backends.js';
import { installServerFaults, raiseOnServer, terminateQueriesMarked } from '../../support/server-faults.js';
import { startFaultProxy } from '../../../src/suites/harness/fault-proxy.js';
import { makeDbSettings } from '../../../src/db/settings.js';
import { openTestDataLayer, type TestDataLayer } from '../../support/data-layer.js';

let t: TestDataLayer;

beforeAll(async () => {
  t = await openTestDataLayer();
  await t.db.withSession((s) => installServerFaults(s.em));
});
afterAll(() => t.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retry on transient failures', () => {
  it('retries a query whose backend was terminated, on a fresh connection', async () => {
    const db = await t.openAnother({ pool: { size: 2, maxOverflow: 0 } });
    const killer = t.db;
    let attempts = 0;
    const pids: number[] = [];
    const result = await db.write(async (s) => {
      attempts++;
      pids.push(await backendPid(s.em));
      if (attempts === 1) {
        const sleeping = s.em.execute('select pg_sleep(2) /* kill-me */').then(
          () => undefined,
          (error: unknown) => error,
        );
        await sleep(100);
        expect(await killer.withSession((k) => terminateQueriesMarked(k.em, 'kill-me'))).toBe(1);
        const error = await sleeping;
        expect(error).toMatchObject({ code: '57P01' });
        throw error;
      }
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    expect(pids[1]).not.toBe(pids[0]);
    expect(db.resilience.snapshot().retries).toBe(1);
  });

  it('survives the termination of idle pooled connections and serves the next query', async () => {
    const db = await t.openAnother({ pool: { size: 3, maxOverflow: 0 } });
    await Promise.all([1, 2, 3].map(() => db.read((s) => s.em.execute('select pg_sleep(0.05)'))));
    const pids = db.poolStats().pids;
    expect(pids.length).toBe(3);
    expect(await terminateBackendsByPid(t.db.settings.url, pids)).toBe(3);
    await sleep(200);
    const rows = await db.read((s) => s.em.execute('select 1 as one'));
    expect(rows[0]!.one).toBe(1);
    expect(db.poolStats().pids.some((pid) => pids.includes(pid))).toBe(false);
  });

  it('waits 100, 200, 400 ms between attempts (no jitter by default)', async () => {
    const db = await t.openAnother();
    const starts: number[] = [];
    await db.read(async (s) => {
      starts.push(performance.now());
      if (starts.length <= 3) await raiseOnServer(s.em, '40001');
      return 1;
    });
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    expect(db.resilience.snapshot().delays).toEqual([100, 200, 400]);
    gaps.forEach((gap, i) => {
      const planned = [100, 200, 400][i]!;
      expect(gap).toBeGreaterThanOrEqual(planned - 2);
      expect(gap).toBeLessThan(planned + 150);
    });
  });

  it('gives up after MAX_RETRIES and never retries a unique violation', async () => {
    const db = await t.openAnother();
    let calls = 0;
    await expect(
      db.read(async (s) => {
        calls++;
        return raiseOnServer(s.em, '40P01');
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(calls).toBe(4);

    const user = { username: 'dupe', email: 'dupe@example.com' };
    await db.write((s) => s.users.createUser(user));
    calls = 0;
    await expect(
      db.write((s) => {
        calls++;
        return s.users.createUser(user);
      }),
    ).rejects.toBeInstanceOf(UniqueViolationError);
    expect(calls).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('opens after 5 consecutive failures against a closed port and closes after a good half-open probe', async () => {
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: Number(new URL(t.database.url).port || 5432) });
    const db = await DataLayer.open(
      makeDbSettings(proxy.url(t.database.url), {
        pool: { size: 1, maxOverflow: 0, timeoutSeconds: 2 },
        retry: { maxRetries: 0 },
        breaker: { failureThreshold: 5, recoveryTimeoutSeconds: 0.3 },
      }),
    );
    try {
      await proxy.setMode({ kind: 'refuse' });
      proxy.resetAll();
      for (let i = 0; i < 5; i++) {
        await expect(db.read((s) => s.em.execute('select 1'))).rejects.toThrow(/ECONNREFUSED|ECONNRESET|connect/);
      }
      expect(db.resilience.breakerState).toBe('open');
      // The server is reachable again, but while the breaker is open no call may try it.
      await proxy.setMode({ kind: 'pass' });
      const accepted = proxy.stats.accepted;
      await expect(db.read((s) => s.em.execute('select 1'))).rejects.toBeInstanceOf(BrokenCircuitError);
      expect(proxy.stats.accepted).toBe(accepted);

      await sleep(350);
      await db.read((s) => s.em.execute('select 1'));
      expect(db.resilience.breakerState).toBe('closed');
      expect(db.resilience.snapshot().transitions.map((x) => x.to)).toEqual(['open', 'half-open', 'closed']);
    } finally {
      await db.close();
      await proxy.close();
    }
  });

  it('still counts a server that does not answer a new connection (not an exhausted pool)', async () => {
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: Number(new URL(t.database.url).port || 5432) });
    const db = await DataLayer.open(
      makeDbSettings(proxy.url(t.database.url), {
        pool: { size: 1, maxOverflow: 0, timeoutSeconds: 0.5 },
        retry: { maxRetries: 1, delaySeconds: 0.01 },
        breaker: { failureThreshold: 2, recoveryTimeoutSeconds: 30 },
      }),
    );
    try {
      await db.read((s) => s.em.execute('select 1'));
      // The server goes silent: the pooled connection breaks and new ones are never answered.
      await proxy.setMode({ kind: 'blackhole' });
      proxy.resetAll();
      const error = await db.read((s) => s.em.execute('select 1')).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(PoolTimeoutError);
      expect(db.resilience.snapshot()).toMatchObject({ attempts: 3, retries: 1, breakerState: 'open' });
    } finally {
      await proxy.close();
      await db.close();
    }
  });
});

describe('timeouts', () => {
  it('cancels a timed-out pg_sleep on the server and returns the connection to the pool', async () => {
    const db = await t.openAnother({ pool: { size: 2, maxOverflow: 0 } });
    const started = performance.now();
    const error = await db
      .withSession((s) => s.em.execute(`select pg_sleep(30) /* perf-gate-timeout-probe */`), {
        timeoutMs: 200,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    const running = await t.db.withSession((s) =>
      s.em
        .getConnection()
        .execute(`select count(*)::int as n from pg_stat_activity where query like '%perf-gate-timeout-probe%' and state = 'active' and pid <> pg_backend_pid()`),
    );
    expect(running[0]!.n).toBe(0);
    expect(db.poolStats().inUse).toBe(0);
    const rows = await db.read((s) => s.em.execute('select 2 as two'));
    expect(rows[0]!.two).toBe(2);
  });

  it('gives up on a black-holed server at the deadline', async () => {
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: Number(new URL(t.database.url).port || 5432) });
    const db = await DataLayer.open(makeDbSettings(proxy.url(t.database.url), { pool: { size: 1, maxOverflow: 0 } }));
    try {
      await db.read((s) => s.em.execute('select 1'));
      await proxy.setMode({ kind: 'blackhole' });
      const started = performance.now();
      const error = await db.withSession((s) => s.em.execute('select 1'), { timeoutMs: 200 }).catch((e) => e);
      expect(error).toBeInstanceOf(OperationTimeoutError);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await proxy.close();
      await db.close();
    }
  });
});
