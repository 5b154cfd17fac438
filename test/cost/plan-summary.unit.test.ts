import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAutoExplainNotice } from '../../src/cost/auto-explain-notice.js';
import { describePlanNode, summarisePlan } from '../../src/cost/plan-summary.js';

/** auto_explain NOTICEs recorded from PostgreSQL 15.20 and 18.4 for the same two statements on the same data. */
function readPlans(version: 'pg15' | 'pg18'): Record<string, unknown>[] {
  const notices = JSON.parse(readFileSync(new URL(`./fixtures/auto-explain-${version}.json`, import.meta.url), 'utf8')) as string[];
  return notices.map((notice) => parseAutoExplainNotice(notice)!.plan);
}

describe('summarisePlan', () => {
  it('gives the same shape, hash and totals for PostgreSQL 15 and 18 JSON', () => {
    const pg15 = readPlans('pg15').map(summarisePlan);
    const pg18 = readPlans('pg18').map(summarisePlan);
    expect(pg18).toEqual(pg15);
    expect(pg15[0]).toEqual({
      shape: {
        hash: 'f33f91a0b9ddbf73',
        nodes: ['Hash Join (Inner)', '  Seq Scan on posts', '  Hash', '    Index Scan using users_pkey on users'],
        seqScans: ['posts'],
        indexes: ['users_pkey'],
      },
      // 1 row removed scanning posts, 188 scanning users; 38 buffers at the root, which includes its children.
      totals: { rowsRemovedByFilter: 189, sharedBuffers: 38 },
    });
    expect(pg15[1]!.shape.nodes).toEqual([
      'Update on users',
      '  InitPlan: Result',
      '    InitPlan: Limit',
      '      Index Only Scan using users_pkey on users',
      '  Index Scan using users_pkey on users',
    ]);
    expect(pg15[1]!.totals).toEqual({ rowsRemovedByFilter: 0, sharedBuffers: 10 });
  });

  it('counts rows removed by filter over all loops, and adds hit and read blocks', () => {
    const plan = {
      'Node Type': 'Nested Loop',
      'Join Type': 'Left',
      'Actual Loops': 1,
      'Shared Hit Blocks': 7,
      'Shared Read Blocks': 3,
      'Rows Removed by Join Filter': 2,
      Plans: [
        { 'Node Type': 'Seq Scan', 'Relation Name': 'users', 'Actual Loops': 1, 'Rows Removed by Filter': 10, 'Shared Hit Blocks': 4 },
        { 'Node Type': 'Index Scan', 'Index Name': 'posts_user_id_idx', 'Relation Name': 'posts', 'Actual Loops': 5, 'Rows Removed by Filter': 3 },
      ],
    };
    expect(summarisePlan(plan).totals).toEqual({ rowsRemovedByFilter: 2 + 10 + 15, sharedBuffers: 10 });
    expect(summarisePlan(plan).shape.nodes).toEqual(['Nested Loop (Left)', '  Seq Scan on users', '  Index Scan using posts_user_id_idx on posts']);
  });

  it('has no totals for an estimated plan, and the same hash as the executed plan of that shape', () => {
    const executed = { 'Node Type': 'Seq Scan', 'Relation Name': 'users', 'Actual Loops': 1, 'Actual Rows': 3, 'Total Cost': 1 };
    const estimated = { 'Node Type': 'Seq Scan', 'Relation Name': 'users', 'Total Cost': 99 };
    expect(summarisePlan(estimated).totals).toBeUndefined();
    expect(summarisePlan(estimated).shape).toEqual(summarisePlan(executed).shape);
  });

  it('names nodes as EXPLAIN text does, without numbers', () => {
    expect(describePlanNode({ 'Node Type': 'Aggregate', Strategy: 'Hashed' })).toBe('Aggregate [Hashed]');
    expect(describePlanNode({ 'Node Type': 'CTE Scan', 'CTE Name': 'recent' })).toBe('CTE Scan on recent');
    expect(describePlanNode({ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'users_email_idx' })).toBe('Bitmap Index Scan using users_email_idx');
    expect(describePlanNode({ 'Node Type': 'ModifyTable', Operation: 'Insert', 'Relation Name': 'posts' })).toBe('Insert on posts');
    expect(describePlanNode({ 'Node Type': 'Seq Scan', 'Relation Name': 'tags', 'Parent Relationship': 'SubPlan' })).toBe('SubPlan: Seq Scan on tags');
  });
});
