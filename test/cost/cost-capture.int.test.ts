import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCallCost } from '../../src/cost/call-cost.js';
import { explainSelects } from '../../src/cost/explain-fallback.js';
import { measureOperationCost } from '../../src/cost/measure-operation.js';
import { loadSqlParser, type SqlParser } from '../../src/cost/sql-parser.js';
import { installStatementCapture, type StatementCapture } from '../../src/cost/statement-capture.js';
import type { ScratchDatabase } from '../../src/db/scratch-database.js';
import { serverUrl } from '../support/database.js';
import { createSeededTemplate, openCapturePool, type CapturePool } from './cost-database.js';

let database: ScratchDatabase;
let capture: StatementCapture;
let parser: SqlParser;
let db: CapturePool;

beforeAll(async () => {
  database = await createSeededTemplate();
  capture = installStatementCapture(pg.Client);
  parser = await loadSqlParser();
  db = await openCapturePool(database.url);
});
afterAll(async () => {
  await db?.end();
  capture?.uninstall();
  await database?.drop();
});

describe('statement capture on a real pg client', () => {
  it('records every form of query pg accepts, with rows returned and affected', async () => {
    const client = await db.pool.connect();
    try {
      capture.start();
      await client.query('select id from users where id in (1, 2, 3)');
      await new Promise((resolve, reject) => client.query('select id from users where id = $1', [4], (e, r) => (e ? reject(e) : resolve(r))));
      await client.query({ text: 'select id from users where id = any($1)', values: [[5, 6]], rowMode: 'array' });
      await new Promise((resolve) => client.query(new pg.Query('select id from users where id < $1', [3], resolve)));
      await client.query("insert into posts (id, user_id, title) values (100001, 1, 'a'), (100002, 1, 'b')");
      await client.query('select 1; update posts set title = $$c$$ where id > 100000');
      await expect(client.query('select * from missing_table')).rejects.toThrow(/missing_table/);
      const captured = capture.stop();
      const call = buildCallCost({ captured, parser, planSource: db.session.planSource });
      expect(call.sequence.map((s) => [s.kind, s.rows.returned, s.rows.affected, s.parameters, s.inLengths, s.valuesLengths, s.end.kind])).toEqual([
        ['select', 3, 0, 0, [3], [], 'completed'],
        ['select', 1, 0, 1, [], [], 'completed'],
        ['select', 2, 0, 1, [2], [], 'completed'],
        ['select', 2, 0, 1, [], [], 'completed'],
        ['insert', 0, 2, 0, [], [2], 'completed'],
        ['multiple', 1, 2, 0, [], [], 'completed'],
        ['select', 0, 0, 0, [], [], 'failed'],
      ]);
      expect(call).toMatchObject({ statements: 8, roundTrips: 7, rowsReturned: 9, rowsAffected: 4, connections: 1, strayPlans: 0 });
      // auto_explain planned every statement that ran, the multi-statement text twice.
      expect(call.sequence.map((s) => s.plan?.kind)).toEqual(['analyzed', 'analyzed', 'analyzed', 'analyzed', 'analyzed', 'analyzed', 'missing']);
      expect(call.sequence[5]!.plan).toMatchObject({ nodes: ['Result', 'Update on posts', '  Index Scan using posts_pkey on posts'] });
    } finally {
      client.release();
    }
  });

  it("attaches auto_explain plans to their statements, even a transaction's SELECT whose plan arrives with the next statement", async () => {
    const client = await db.pool.connect();
    try {
      const order: string[] = [];
      const onNotice = () => order.push('notice');
      client.on('notice', onNotice);
      capture.start();
      await client.query('begin');
      await client.query('select * from users where email = $1', ['user9@example.com']).then(() => order.push('select resolved'));
      await client.query('update users set name = $1 where id = $2', ['x', 9]).then(() => order.push('update resolved'));
      await client.query('commit');
      const captured = capture.stop();
      client.removeListener('notice', onNotice);
      // The SELECT's plan comes after its result, while the UPDATE runs (its portal closes then).
      expect(order).toEqual(['select resolved', 'notice', 'notice', 'update resolved']);
      const call = buildCallCost({ captured, parser, planSource: db.session.planSource });
      expect(call.sequence.map((s) => s.plan && s.plan.kind !== 'missing' && s.plan.nodes)).toEqual([
        undefined,
        ['Index Scan using users_email_idx on users'],
        ['Update on users', '  Index Scan using users_pkey on users'],
        undefined,
      ]);
      expect(call).toMatchObject({ transactionControl: 2, rowsAffected: 1, strayPlans: 0 });
    } finally {
      client.release();
    }
  });

  it("puts pg's own query back on uninstall, and removes its own from a subclass it wrapped", async () => {
    capture.uninstall();
    const restored = pg.Client.prototype.query;
    class Subclass extends pg.Client {}
    const sub = installStatementCapture(Subclass);
    expect(Object.prototype.hasOwnProperty.call(Subclass.prototype, 'query')).toBe(true);
    // The subclass's capture does not see the base class's clients.
    sub.start();
    await db.run('select 1');
    expect(sub.stop().statements).toEqual([]);
    sub.uninstall();
    expect(Object.prototype.hasOwnProperty.call(Subclass.prototype, 'query')).toBe(false);
    expect(pg.Client.prototype.query).toBe(restored);
    capture = installStatementCapture(pg.Client);
    expect(pg.Client.prototype.query).not.toBe(restored);
  });
});

describe('without a superuser', () => {
  const role = `perf_gate_cost_${randomBytes(4).toString('hex')}`;
  const password = 'perf-gate-cost';
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`create role ${role} login password '${password}'`);
    await admin.query(`grant select, update on users, posts to ${role}`);
  });
  afterAll(async () => {
    await admin.query(`drop owned by ${role}`);
    await admin.end();
    const server = new pg.Client({ connectionString: serverUrl() });
    await server.connect();
    await server.query(`drop role if exists ${role}`);
    await server.end();
  });

  it('says why auto_explain is unavailable and explains SELECTs only', async () => {
    const url = new URL(database.url);
    url.username = role;
    url.password = password;
    const limited = await openCapturePool(url.toString());
    try {
      expect(limited.session.planSource).toMatchObject({ kind: 'explain', reason: expect.stringMatching(/^LOAD 'auto_explain' failed: access to library "auto_explain" is not allowed/) });
      const record = await measureOperationCost({
        operation: 'rename_user',
        call: async () => {
          await limited.run('select * from users where email = $1', ['user3@example.com']);
          await limited.run('update users set name = $1 where id = $2', ['y', 3]);
        },
        capture,
        parser,
        session: limited.session,
        explain: (sql, values) => limited.run(sql, values),
      });
      const [select, update] = record.calls[0]!.sequence;
      expect(select!.plan).toEqual({
        kind: 'estimated',
        hash: expect.any(String),
        nodes: ['Index Scan using users_email_idx on users'],
        seqScans: [],
        indexes: ['users_email_idx'],
      });
      expect(update!.plan).toEqual({ kind: 'missing', reason: expect.stringMatching(/only SELECTs are explained, writes are never re-run$/) });
      expect(record.planSource.kind).toBe('explain');
      // The EXPLAINs ran outside the windows: they are not counted as statements.
      expect(record.calls[0]!.roundTrips).toBe(2);
    } finally {
      await limited.end();
    }
  });

  it('explainSelects reads EXPLAIN (FORMAT JSON) through the given runner', async () => {
    capture.start();
    await db.run('select * from users where id = $1', [1]);
    const captured = capture.stop();
    const plans = await explainSelects((sql, values) => db.run(sql, values), captured, parser);
    expect(plans.get(0)).toMatchObject({ 'Node Type': 'Index Scan', 'Index Name': 'users_pkey' });
  });
});
