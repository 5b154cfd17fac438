import { describe, expect, it } from 'vitest';
import { checkStatementGrowth, findRepeatedStatements } from '../../src/cost/statement-growth.js';
import { makeCall, makeRecord, makeStatement, makeTransactionStatement } from './cost-fixtures.js';

const list = makeStatement('f-list', { normalized: 'select * from users order by id limit $1' });
const posts = makeStatement('f-posts', { normalized: 'select * from posts where user_id = $1' });
const join = makeStatement('f-join', { normalized: 'select * from users join posts on ... limit $1' });

/** One list query, then one posts query per user: the N+1. */
function nPlusOne(size: number) {
  return makeRecord([makeCall([list, ...Array.from({ length: size }, () => posts)])], 'bench.query.list_with_posts');
}

describe('checkStatementGrowth', () => {
  it('catches statements that grow with the page size, naming the statement that repeats', () => {
    const findings = checkStatementGrowth([
      { size: 10, record: nPlusOne(10) },
      { size: 5, record: nPlusOne(5) },
    ]);
    expect(findings).toEqual([
      {
        kind: 'statements-grow',
        severity: 'regression',
        operation: 'bench.query.list_with_posts',
        sizes: [5, 10],
        statements: [6, 11],
        roundTrips: [6, 11],
        growing: [{ fingerprint: 'f-posts', normalized: 'select * from posts where user_id = $1', times: [5, 10] }],
      },
      {
        kind: 'repeated-statement',
        severity: 'info',
        operation: 'bench.query.list_with_posts',
        size: 10,
        statement: { fingerprint: 'f-posts', normalized: 'select * from posts where user_id = $1' },
        times: 10,
      },
    ]);
  });

  it('passes a join whose statements stay the same at every size', () => {
    const joined = (rows: number) =>
      makeRecord([makeCall([makeTransactionStatement('begin'), { ...join, rows: { returned: rows, affected: 0 } }, makeTransactionStatement('commit')])], 'op');
    expect(checkStatementGrowth([{ size: 5, record: joined(5) }, { size: 50, record: joined(50) }, { size: 500, record: joined(500) }])).toEqual([]);
  });

  it('does not count repeated transaction control as a repeated statement', () => {
    const record = makeRecord([makeCall([makeTransactionStatement('begin'), join, makeTransactionStatement('commit'), makeTransactionStatement('begin'), makeTransactionStatement('commit')])]);
    expect(findRepeatedStatements(record)).toEqual([]);
  });

  it('refuses one size, or records of two operations', () => {
    expect(() => checkStatementGrowth([{ size: 5, record: nPlusOne(5) }])).toThrow(
      'statement growth: expected records of one operation at two or more distinct sizes, got [bench.query.list_with_posts@5]',
    );
    expect(() => checkStatementGrowth([{ size: 5, record: nPlusOne(5) }, { size: 5, record: nPlusOne(5) }])).toThrow(/distinct sizes/);
  });
});
