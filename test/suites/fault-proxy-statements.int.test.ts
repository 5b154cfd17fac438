import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { DEFAULT_DB_SETTINGS } from '../../src/db/settings.js';
import { startFaultProxy, type FaultProxy, type ProxyStatement, type ProxyStatementEvent } from '../../src/suites/harness/fault-proxy.js';
import { serverUrl } from '../support/database.js';

const clients: pg.Client[] = [];
const proxies: FaultProxy[] = [];
const orms: MikroORM[] = [];

afterEach(async () => {
  await Promise.all(orms.splice(0).map((orm) => orm.close(true)));
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

async function startProxy(): Promise<FaultProxy> {
  const url = new URL(serverUrl());
  const proxy = await startFaultProxy({ targetHost: url.hostname.replace(/^\[|\]$/g, ''), targetPort: Number(url.port || 5432) });
  proxies.push(proxy);
  return proxy;
}

async function connectThrough(proxy: FaultProxy): Promise<pg.Client & { errors: Error[] }> {
  const client = Object.assign(new pg.Client({ connectionString: proxy.url(serverUrl()), connectionTimeoutMillis: 5_000 }), { errors: [] as Error[] });
  client.on('error', (error) => client.errors.push(error));
  clients.push(client);
  await client.connect();
  return client;
}

/** A `decide` that fails the statements mentioning `marker` with `sqlstate` and records every call. */
function failMarked(marker = 'perf_gate_fail', sqlstate = '40001') {
  const calls: ProxyStatement[] = [];
  const decide = (statement: ProxyStatement) => {
    calls.push(statement);
    return statement.sql.includes(marker) ? sqlstate : null;
  };
  return { calls, mode: { kind: 'fail-statements' as const, decide } };
}

const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error & { code?: string });

describe('fault proxy fail-statements against PostgreSQL', () => {
  it('answers a simple and a parameterised query with 40001, and the connection then runs queries', async () => {
    const proxy = await startProxy();
    const client = await connectThrough(proxy);
    const { calls, mode } = failMarked();
    await proxy.setMode(mode);

    const simple = await rejection(client.query("SELECT 'perf_gate_fail' AS marker"));
    expect(simple).toMatchObject({ code: '40001', severity: 'ERROR', message: 'injected by the perf-gate fault proxy (40001)' });
    expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);

    const parameterised = await rejection(client.query('SELECT $1::int AS n /* perf_gate_fail */', [7]));
    expect(parameterised).toMatchObject({ code: '40001' });
    expect((await client.query('SELECT $1::int AS n', [8])).rows).toEqual([{ n: 8 }]);
    expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);

    expect(calls.map((call) => call.sql)).toEqual([
      "SELECT 'perf_gate_fail' AS marker",
      'SELECT 1 AS ok',
      'SELECT $1::int AS n /* perf_gate_fail */',
      'SELECT $1::int AS n',
      'SELECT 1 AS ok',
    ]);
    expect(calls.every((call) => call.link === 1 && !call.control)).toBe(true);
    expect(proxy.stats).toMatchObject({ statements: 5, injected: 2, resets: 0 });
    expect(client.errors).toEqual([]);
  });

  it('fails a statement inside a transaction: rollback works and what ran before it is not stored', async () => {
    const proxy = await startProxy();
    const client = await connectThrough(proxy);
    await client.query('CREATE TEMP TABLE perf_gate_proxy_probe (id int)');
    const { calls, mode } = failMarked();
    await proxy.setMode(mode);

    await client.query('BEGIN');
    await client.query('INSERT INTO perf_gate_proxy_probe VALUES ($1)', [1]);
    const error = await rejection(client.query('UPDATE perf_gate_proxy_probe SET id = 2 -- perf_gate_fail'));
    expect(error).toMatchObject({ code: '40001' });
    await client.query('ROLLBACK');
    expect((await client.query('SELECT count(*)::int AS n FROM perf_gate_proxy_probe')).rows).toEqual([{ n: 0 }]);

    await client.query('BEGIN');
    await client.query('INSERT INTO perf_gate_proxy_probe VALUES (3)');
    await client.query('COMMIT');
    expect((await client.query('SELECT id FROM perf_gate_proxy_probe')).rows).toEqual([{ id: 3 }]);

    expect(calls.map((call) => call.sql.split(' ')[0])).toEqual(['INSERT', 'UPDATE', 'SELECT', 'INSERT', 'SELECT']);
    // The CREATE TEMP TABLE went through in pass mode: counted, not decided.
    expect(proxy.stats).toMatchObject({ statements: 6, injected: 1 });
  });

  it('reports every statement to onStatement listeners after the decision, until unsubscribed', async () => {
    const proxy = await startProxy();
    const events: ProxyStatementEvent[] = [];
    const unsubscribe = proxy.onStatement((event) => events.push(event));
    const first = await connectThrough(proxy);
    await first.query('SELECT 1');
    const second = await connectThrough(proxy);
    await proxy.setMode(failMarked('perf_gate_fail', '57P01').mode);
    const started = performance.now();
    await second.query('BEGIN');
    expect(await rejection(second.query('SELECT 2 /* perf_gate_fail */'))).toMatchObject({ code: '57P01' });
    await second.query('ROLLBACK');
    unsubscribe();
    await first.query('SELECT 3');

    expect(events.map(({ link, sql, control, injected }) => ({ link, sql, control, injected }))).toEqual([
      { link: 1, sql: 'SELECT 1', control: false, injected: null },
      { link: 2, sql: 'BEGIN', control: true, injected: null },
      { link: 2, sql: 'SELECT 2 /* perf_gate_fail */', control: false, injected: '57P01' },
      { link: 2, sql: 'ROLLBACK', control: true, injected: null },
    ]);
    expect(events[1]?.at).toBeGreaterThanOrEqual(started);
    expect(events[3]?.at).toBeGreaterThanOrEqual(events[2]?.at as number);
    expect(proxy.stats).toMatchObject({ statements: 3, injected: 1 });
  });

  it("lets a caller see a pooled retry loop's attempts and backoff from outside", async () => {
    const proxy = await startProxy();
    const pool = new pg.Pool({ connectionString: proxy.url(serverUrl()), max: 2 });
    pool.on('error', () => undefined);
    let failuresLeft = 2;
    await proxy.setMode({ kind: 'fail-statements', decide: ({ sql }) => (sql.includes('perf_gate_retry') && failuresLeft-- > 0 ? '40001' : null) });
    const attempts: ProxyStatementEvent[] = [];
    proxy.onStatement((event) => {
      if (event.sql.includes('perf_gate_retry')) attempts.push(event);
    });
    try {
      let result: pg.QueryResult | undefined;
      for (let attempt = 0, delayMs = 20; result === undefined; attempt += 1, delayMs *= 2) {
        try {
          result = await pool.query("SELECT 'perf_gate_retry' AS marker, $1::int AS attempt", [attempt]);
        } catch (error) {
          if ((error as { code?: string }).code !== '40001') throw error;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
      expect(result.rows).toEqual([{ marker: 'perf_gate_retry', attempt: 2 }]);
    } finally {
      await pool.end();
    }
    expect(attempts.map((event) => event.injected)).toEqual(['40001', '40001', null]);
    const gaps = attempts.slice(1).map((event, i) => event.at - (attempts[i] as ProxyStatementEvent).at);
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
  });

  it('forwards what decide returns null for, and switches from pass to fail-statements and back mid-connection', async () => {
    const proxy = await startProxy();
    const client = await connectThrough(proxy);
    expect((await client.query("SELECT 'perf_gate_fail' AS passed")).rows).toEqual([{ passed: 'perf_gate_fail' }]);
    const { calls, mode } = failMarked();
    await proxy.setMode(mode);
    expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    expect(await rejection(client.query("SELECT 'perf_gate_fail'"))).toMatchObject({ code: '40001' });
    await proxy.setMode({ kind: 'delay', ms: 1 });
    expect((await client.query("SELECT 'perf_gate_fail' AS passed")).rows).toEqual([{ passed: 'perf_gate_fail' }]);
    expect(calls).toHaveLength(2);
    expect(proxy.stats).toMatchObject({ statements: 4, injected: 1 });
  });

  it('resets the link and records a clear error when decide returns something that is not a SQLSTATE', async () => {
    const proxy = await startProxy();
    const client = await connectThrough(proxy);
    await proxy.setMode({ kind: 'fail-statements', decide: () => '4001' });
    const error = await rejection(client.query('SELECT 1'));
    expect(`${error?.code} ${error?.message}`).toMatch(/ECONNRESET|Connection terminated/);
    expect(proxy.errors.map((e) => e.message)).toEqual([
      "the fault proxy reset connection 1: fail-statements 'decide' must return null or a SQLSTATE of 5 characters 0-9 and A-Z (e.g. '40001'), got '4001'",
    ]);
    expect(proxy.stats).toMatchObject({ resets: 1, injected: 0 });
    await proxy.setMode({ kind: 'pass' });
    expect((await (await connectThrough(proxy)).query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    await expect(proxy.setMode({ kind: 'fail-statements', decide: undefined as never })).rejects.toThrow(/needs 'decide' as a function, got undefined/);
  });

  it("answers MikroORM's em.execute with 40001 through its own driver", async () => {
    const proxy = await startProxy();
    const settings = { ...DEFAULT_DB_SETTINGS, url: proxy.url(serverUrl()), pool: { ...DEFAULT_DB_SETTINGS.pool, size: 1, maxOverflow: 0 } };
    const orm = await openOrm(settings, 'perf-gate-proxy-test');
    orms.push(orm);
    const seen: string[] = [];
    // MikroORM's execute writes the parameters into the SQL itself (Platform.formatQuery).
    await proxy.setMode({ kind: 'fail-statements', decide: ({ sql }) => (seen.push(sql), sql === 'select 1' ? '40001' : null) });
    const error = await rejection(orm.em.fork().execute('select ?', [1]));
    expect(error).toMatchObject({ name: 'DeadlockException', code: '40001' });
    expect(await orm.em.fork().execute('select ? as n', [2])).toEqual([{ n: 2 }]);
    expect(seen).toEqual(['select 1', 'select 2 as n']);
    expect(proxy.stats.injected).toBe(1);
  });
});
