import { buildCostRecord, type CallCost, type CostRecord, type StatementCost, type StatementPlan } from '../../src/cost/cost-record.js';

/** An analyzed plan with the given nodes (hash derived from them), scans and indexes. */
export function makePlan(nodes: string[], extra: Partial<Extract<StatementPlan, { kind: 'analyzed' }>> = {}): StatementPlan {
  return {
    kind: 'analyzed',
    hash: nodes.join('|'),
    nodes,
    seqScans: nodes.filter((n) => n.trim().startsWith('Seq Scan on ')).map((n) => n.trim().slice('Seq Scan on '.length)),
    indexes: nodes.flatMap((n) => /using (\S+)/.exec(n)?.slice(1) ?? []),
    rowsRemovedByFilter: 0,
    sharedBuffers: 3,
    ...extra,
  };
}

/** A completed one-statement SELECT returning one row, with an index-scan plan unless given. */
export function makeStatement(fingerprint: string, overrides: Partial<StatementCost> = {}): StatementCost {
  return {
    fingerprint,
    normalized: `select /* ${fingerprint} */ $1`,
    kind: 'select',
    statements: 1,
    transactionControl: 0,
    parameters: 0,
    inLengths: [],
    valuesLengths: [],
    rows: { returned: 1, affected: 0 },
    end: { kind: 'completed' },
    plan: makePlan(['Index Scan using users_pkey on users']),
    ...overrides,
  };
}

/** BEGIN or COMMIT. */
export function makeTransactionStatement(word: 'begin' | 'commit'): StatementCost {
  const { plan: _plan, ...rest } = makeStatement(word, { kind: 'transaction', transactionControl: 1, normalized: word, rows: { returned: 0, affected: 0 } });
  return rest;
}

/** A call of the given statements, its totals added up as call-cost.ts does. */
export function makeCall(sequence: StatementCost[]): CallCost {
  const buffers = sequence.flatMap((s) => (s.plan?.kind === 'analyzed' && s.plan.sharedBuffers !== null ? [s.plan.sharedBuffers] : []));
  return {
    statements: sequence.reduce((sum, s) => sum + s.statements, 0),
    roundTrips: sequence.length,
    transactionControl: sequence.reduce((sum, s) => sum + s.transactionControl, 0),
    rowsReturned: sequence.reduce((sum, s) => sum + s.rows.returned, 0),
    rowsAffected: sequence.reduce((sum, s) => sum + s.rows.affected, 0),
    connections: 1,
    sharedBuffers: buffers.length === 0 ? null : buffers.reduce((a, b) => a + b, 0),
    strayPlans: 0,
    sequence,
  };
}

/** A record of `operation` whose measured calls are `calls` (three of the first when one is given). */
export function makeRecord(calls: CallCost[], operation = 'bench.query.get_by_email', serverVersionNum: number | null = 150020): CostRecord {
  const measured = calls.length === 1 ? [calls[0]!, calls[0]!, calls[0]!] : calls;
  return buildCostRecord({ operation, planSource: { kind: 'auto_explain' }, serverVersionNum }, measured);
}
