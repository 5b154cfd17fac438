import { describe, expect, it } from 'vitest';
import { compareCostRecords } from '../../src/cost/compare-cost.js';
import { worstSeverity } from '../../src/cost/cost-findings.js';
import { makeCall, makePlan, makeRecord, makeStatement, makeTransactionStatement } from './cost-fixtures.js';

const lookup = makeStatement('f-user', { normalized: 'select * from users where email = $1' });
const base = makeRecord([makeCall([lookup])]);

describe('compareCostRecords', () => {
  it('finds nothing between identical records', () => {
    expect(compareCostRecords(base, makeRecord([makeCall([lookup])]))).toEqual([]);
  });

  it('finds an added statement, naming it', () => {
    const extra = makeStatement('f-posts', { normalized: 'select * from posts where user_id = $1', rows: { returned: 3, affected: 0 } });
    const findings = compareCostRecords(base, makeRecord([makeCall([lookup, extra])]));
    expect(findings).toEqual([
      {
        kind: 'more-statements',
        severity: 'regression',
        base: { statements: 1, roundTrips: 1, transactionControl: 0 },
        head: { statements: 2, roundTrips: 2, transactionControl: 0 },
        added: [{ fingerprint: 'f-posts', normalized: 'select * from posts where user_id = $1', times: 1 }],
        removed: [],
      },
      { kind: 'more-rows', severity: 'regression', base: 1, head: 4 },
      { kind: 'buffers-changed', severity: 'report', base: 3, head: 6 },
    ]);
    expect(worstSeverity(findings)).toBe('regression');
  });

  it('counts an added transaction as more round trips', () => {
    const head = makeRecord([makeCall([makeTransactionStatement('begin'), lookup, makeTransactionStatement('commit')])]);
    const [finding] = compareCostRecords(base, head);
    expect(finding).toMatchObject({ kind: 'more-statements', head: { statements: 3, roundTrips: 3, transactionControl: 2 } });
  });

  it('calls fewer statements and rows an improvement', () => {
    const head = makeRecord([makeCall([lookup])]);
    const twice = makeRecord([makeCall([lookup, lookup])]);
    expect(compareCostRecords(twice, head).map((f) => [f.kind, f.severity])).toEqual([
      ['fewer-statements', 'improvement'],
      ['fewer-rows', 'improvement'],
      ['buffers-changed', 'report'],
    ]);
  });

  it('finds a dropped index: a new seq scan of a seeded table, the index unused, the plan changed', () => {
    const scanned = makeStatement('f-user', {
      normalized: lookup.normalized,
      plan: makePlan(['Seq Scan on users'], { rowsRemovedByFilter: 9999, sharedBuffers: 94 }),
    });
    const emailLookup = makeStatement('f-user', { normalized: lookup.normalized, plan: makePlan(['Index Scan using users_email_idx on users']) });
    const findings = compareCostRecords(makeRecord([makeCall([emailLookup])]), makeRecord([makeCall([scanned])]), { seededTables: ['public.users'] });
    expect(findings).toEqual([
      {
        kind: 'new-seq-scan',
        severity: 'regression',
        table: 'users',
        statement: { fingerprint: 'f-user', normalized: lookup.normalized },
        rowsRemovedByFilter: { base: 0, head: 9999 },
      },
      { kind: 'index-unused', severity: 'regression', index: 'users_email_idx', statement: { fingerprint: 'f-user', normalized: lookup.normalized } },
      {
        kind: 'plan-changed',
        severity: 'info',
        statement: { fingerprint: 'f-user', normalized: lookup.normalized },
        base: ['Index Scan using users_email_idx on users'],
        head: ['Seq Scan on users'],
      },
      { kind: 'buffers-changed', severity: 'report', base: 3, head: 94 },
    ]);
  });

  it('does not fail a new seq scan of a table that was not seeded', () => {
    const scanned = makeStatement('f-user', { plan: makePlan(['Seq Scan on countries']) });
    const findings = compareCostRecords(base, makeRecord([makeCall([scanned])]), { seededTables: ['users'] });
    expect(findings.map((f) => f.kind)).toEqual(['index-unused', 'plan-changed']);
  });

  it('shows a changed fingerprint with the same counts as information', () => {
    const wider = makeStatement('f-user-wider', { normalized: 'select id, email, name from users where email = $1' });
    const findings = compareCostRecords(base, makeRecord([makeCall([wider])]));
    expect(findings).toEqual([
      {
        kind: 'fingerprints-changed',
        severity: 'info',
        added: [{ fingerprint: 'f-user-wider', normalized: 'select id, email, name from users where email = $1', times: 1 }],
        removed: [{ fingerprint: 'f-user', normalized: 'select * from users where email = $1', times: 1 }],
      },
    ]);
    expect(worstSeverity(findings)).toBe('info');
  });

  it('judges unstable calls by the worst call and says they were unstable', () => {
    const unstable = makeRecord([makeCall([lookup]), makeCall([lookup, lookup]), makeCall([lookup])]);
    const findings = compareCostRecords(base, unstable);
    expect(findings[0]).toEqual({ kind: 'unstable-calls', severity: 'info', side: 'head', pattern: [0, 1, 0] });
    expect(findings[1]).toMatchObject({ kind: 'more-statements', head: { statements: 2 } });
  });

  it('refuses records of different PostgreSQL majors as incomparable, and of different operations', () => {
    const pg18 = makeRecord([makeCall([lookup])], 'bench.query.get_by_email', 180004);
    expect(compareCostRecords(base, pg18)).toEqual([
      { kind: 'incomparable', severity: 'info', reason: 'measured on PostgreSQL 15 (base) and 18 (head)' },
    ]);
    expect(() => compareCostRecords(base, makeRecord([makeCall([lookup])], 'other'))).toThrow(
      "compare cost: expected records of one operation, got 'bench.query.get_by_email' and 'other'",
    );
  });
});
