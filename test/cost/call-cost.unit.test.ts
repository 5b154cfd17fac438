import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCallCost } from '../../src/cost/call-cost.js';
import { loadSqlParser, type SqlParser } from '../../src/cost/sql-parser.js';
import type { CapturedStatement } from '../../src/cost/statement-capture.js';

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

const notices = (JSON.parse(readFileSync(new URL('./fixtures/auto-explain-pg15.json', import.meta.url), 'utf8')) as string[]).map((message) => ({
  connection: 0,
  message,
}));
const joinText = "select u.id, p.title from users u join posts p on p.user_id = u.id where u.name like 'n1%' and p.title <> 't5' and u.id < $1";
const updateText = 'update users set name = $1 where id = (select max(id) from users)';

function completed(command: string, rowCount: number | null, rowsReturned: number): CapturedStatement['outcome'] {
  return { kind: 'completed', results: [{ command, rowCount, rowsReturned }] };
}

describe('buildCallCost', () => {
  it('counts statements, transaction control, rows and attaches auto_explain plans', () => {
    const statements: CapturedStatement[] = [
      { connection: 0, text: 'BEGIN', values: undefined, outcome: completed('BEGIN', null, 0) },
      { connection: 0, text: joinText, values: [300], outcome: completed('SELECT', 333, 333) },
      { connection: 0, text: updateText, values: ['x'], outcome: completed('UPDATE', 1, 0) },
      { connection: 0, text: 'COMMIT', values: undefined, outcome: completed('COMMIT', null, 0) },
    ];
    const call = buildCallCost({ captured: { statements, notices }, parser, planSource: { kind: 'auto_explain' } });
    expect(call).toMatchObject({
      statements: 4,
      roundTrips: 4,
      transactionControl: 2,
      rowsReturned: 333,
      rowsAffected: 1,
      connections: 1,
      sharedBuffers: 48,
      strayPlans: 0,
    });
    expect(call.sequence.map((s) => [s.kind, s.parameters, s.plan?.kind])).toEqual([
      ['transaction', 0, undefined],
      ['select', 1, 'analyzed'],
      ['update', 1, 'analyzed'],
      ['transaction', 0, undefined],
    ]);
    expect(call.sequence[1]!.plan).toMatchObject({ seqScans: ['posts'], indexes: ['users_pkey'], rowsRemovedByFilter: 189, sharedBuffers: 38 });
    expect(call.sequence[1]!.normalized).toBe(
      'select u.id, p.title from users u join posts p on p.user_id = u.id where u.name like $2 and p.title <> $3 and u.id < $1',
    );
  });

  it('says why a plan is missing: a failed statement, a write without auto_explain', () => {
    const statements: CapturedStatement[] = [
      { connection: 0, text: 'select * from nope', values: undefined, outcome: { kind: 'failed', code: '42P01', message: 'relation "nope" does not exist' } },
      { connection: 0, text: updateText, values: ['x'], outcome: completed('UPDATE', 1, 0) },
    ];
    const call = buildCallCost({ captured: { statements, notices: [] }, parser, planSource: { kind: 'explain', reason: 'not a superuser' } });
    expect(call.sequence.map((s) => [s.end, s.plan])).toEqual([
      [{ kind: 'failed', code: '42P01' }, { kind: 'missing', reason: 'the statement failed, so it has no plan' }],
      [{ kind: 'completed' }, { kind: 'missing', reason: 'auto_explain unavailable (not a superuser); only SELECTs are explained, writes are never re-run' }],
    ]);
  });
});
