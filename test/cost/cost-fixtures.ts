import { buildCostRecord, type CallCost, type CostRecord, type StatementCost, type StatementPlan } from '../../src/cost/cost-record.js';
import { summariseCall } from '../../src/cost/call-cost.js';

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

/** A call of the given statements on one connection, its totals added up by call-cost.ts. */
export function makeCall(sequence: StatementCost[]): CallCost {
  return summariseCall(sequence, 1, 0);
}

/** A record of `operation` whose measured calls are `calls` (three of the first when one is given). */
export function makeRecord(calls: CallCost[], operation = 'bench.query.get_by_email', serverVersionNum: number | null = 150020): CostRecord {
  const measured = calls.length === 1 ? [calls[0]!, calls[0]!, calls[0]!] : calls;
  return buildCostRecord({ operation, planSource: { kind: 'auto_explain' }, serverVersionNum }, measured);
}
