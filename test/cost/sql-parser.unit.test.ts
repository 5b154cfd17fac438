import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, type SqlParser } from '../../src/cost/sql-parser.js';

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

describe('loadSqlParser', () => {
  it('folds constants and IN-list lengths into one fingerprint, and records the lengths apart', () => {
    const one = parser.describe('select * from users where id in (1)');
    const three = parser.describe('select * from users where id in (4, 5, 6)');
    expect(one.fingerprint).toBe(three.fingerprint);
    expect(one.inLengths).toEqual([1]);
    expect(three.inLengths).toEqual([3]);
    expect(three.normalized).toBe('select * from users where id in ($1, $2, $3)');
    expect(three.kind).toBe('select');
  });

  it('records VALUES rows apart from the fingerprint', () => {
    const two = parser.describe('insert into "users" ("a", "b") values (1, 2), (3, 4)');
    const one = parser.describe('insert into "users" ("a", "b") values ($1, $2)');
    expect(two.fingerprint).toBe(one.fingerprint);
    expect(two.valuesLengths).toEqual([2]);
    expect(one.valuesLengths).toEqual([1]);
    expect(two.kind).toBe('insert');
    expect(two.planned).toBe(1);
  });

  it('takes the length of an array bound to ANY($n) from the values, and of ANY(ARRAY[...]) from the text', () => {
    expect(parser.describe('select * from t where id = any($1)', [[1, 2, 3, 4]]).inLengths).toEqual([4]);
    expect(parser.describe('select * from t where id = any($1::int[])', [[7]]).inLengths).toEqual([1]);
    expect(parser.describe('select * from t where id = any(array[1, 2])').inLengths).toEqual([2]);
  });

  it('tells a changed select list or table by its fingerprint', () => {
    const all = parser.describe('select * from users where id = 1').fingerprint;
    expect(parser.describe('select id, email from users where id = 1').fingerprint).not.toBe(all);
    expect(parser.describe('select * from posts where id = 1').fingerprint).not.toBe(all);
  });

  it('classifies transaction control, savepoints folded into one fingerprint', () => {
    for (const sql of ['begin', 'START TRANSACTION READ ONLY', 'commit', 'rollback', 'savepoint trx1', 'release savepoint trx1', 'rollback to savepoint trx1', 'set transaction isolation level serializable']) {
      const syntax = parser.describe(sql);
      expect([sql, syntax.kind, syntax.transactionControl, syntax.planned]).toEqual([sql, 'transaction', 1, 0]);
    }
    expect(parser.describe('savepoint trx1').fingerprint).toBe(parser.describe('savepoint trx2').fingerprint);
    expect(parser.describe('set session characteristics as transaction read only').kind).toBe('utility');
    expect(parser.describe('set jit = off').kind).toBe('utility');
  });

  it('counts the statements of a multi-statement text', () => {
    const syntax = parser.describe('begin; update t set v = 1 where id = 2; commit');
    expect(syntax).toMatchObject({ kind: 'multiple', statements: 3, transactionControl: 2, planned: 1 });
  });

  it('keeps a text the grammar rejects, under a hash of its folded text', () => {
    const syntax = parser.describe('selec  oops');
    expect(syntax.kind).toBe('unparsed');
    expect(syntax.fingerprint).toMatch(/^unparsed:[0-9a-f]{16}$/);
    expect(parser.describe('selec oops').fingerprint).toBe(syntax.fingerprint);
    expect(parser.describe('').kind).toBe('unparsed');
  });
});
