/**
 * Compares the cost records of one operation on two commits (base, head). Pure: everything it needs
 * is in its arguments. Every rule is exact (no tolerance), because every count is.
 */
import type { CallCounts, CostFinding, StatementRef } from './cost-findings.js';
import type { CostRecord, StatementCost } from './cost-record.js';
import { COST_RECORD_VERSION } from './cost-record.js';
import { diffFingerprints, pairStatements, refOf, representativeCall, worstCounts } from './record-views.js';

/** Options of `compareCostRecords`. */
export interface CompareCostOptions {
  /**
   * Tables the scenario seeded (`users`, or `public.users`): only a new sequential scan of one of
   * these is a regression (a seq scan of a ten-row lookup table is the right plan). Every table
   * counts when omitted.
   */
  readonly seededTables?: readonly string[];
}

function checkComparable(base: CostRecord, head: CostRecord): void {
  for (const record of [base, head]) {
    if (record.version !== COST_RECORD_VERSION) {
      throw new Error(`compare cost: expected record version ${COST_RECORD_VERSION}, got ${String(record.version)} for '${record.operation}'`);
    }
  }
  if (base.operation !== head.operation) {
    throw new Error(`compare cost: expected records of one operation, got '${base.operation}' and '${head.operation}'`);
  }
}

function major(versionNum: number): number {
  return Math.floor(versionNum / 10_000);
}

function countFindings(base: CostRecord, head: CostRecord): CostFinding[] {
  const before = worstCounts(base);
  const after = worstCounts(head);
  const counts = (c: typeof before): CallCounts => ({ statements: c.statements, roundTrips: c.roundTrips, transactionControl: c.transactionControl });
  const { added, removed } = diffFingerprints(representativeCall(base).sequence, representativeCall(head).sequence);
  const findings: CostFinding[] = [];
  const more = after.statements > before.statements || after.roundTrips > before.roundTrips;
  const fewer = !more && (after.statements < before.statements || after.roundTrips < before.roundTrips);
  if (more) findings.push({ kind: 'more-statements', severity: 'regression', base: counts(before), head: counts(after), added, removed });
  else if (fewer) findings.push({ kind: 'fewer-statements', severity: 'improvement', base: counts(before), head: counts(after), added, removed });
  else if (added.length > 0 || removed.length > 0) findings.push({ kind: 'fingerprints-changed', severity: 'info', added, removed });
  if (after.rowsReturned > before.rowsReturned) findings.push({ kind: 'more-rows', severity: 'regression', base: before.rowsReturned, head: after.rowsReturned });
  if (after.rowsReturned < before.rowsReturned) findings.push({ kind: 'fewer-rows', severity: 'improvement', base: before.rowsReturned, head: after.rowsReturned });
  return findings;
}

function plannedStatements(record: CostRecord): StatementCost[] {
  return record.calls.flatMap((call) => call.sequence.filter((s) => s.plan && s.plan.kind !== 'missing'));
}

function tableName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function removedByFilter(statement: StatementCost | undefined): number | null {
  return statement?.plan?.kind === 'analyzed' ? statement.plan.rowsRemovedByFilter : null;
}

/** New seq scans of seeded tables and indexes no longer used, over all distinct calls of each side. */
function scanFindings(base: CostRecord, head: CostRecord, options: CompareCostOptions): CostFinding[] {
  const seeded = options.seededTables ? new Set(options.seededTables.map(tableName)) : undefined;
  const before = plannedStatements(base);
  const after = plannedStatements(head);
  const scanned = (statements: StatementCost[]): Set<string> => new Set(statements.flatMap((s) => (s.plan?.kind === 'missing' ? [] : s.plan?.seqScans ?? [])));
  const indexed = (statements: StatementCost[]): Set<string> => new Set(statements.flatMap((s) => (s.plan?.kind === 'missing' ? [] : s.plan?.indexes ?? [])));
  const findings: CostFinding[] = [];
  const scannedBefore = scanned(before);
  for (const table of scanned(after)) {
    if (scannedBefore.has(table) || (seeded && !seeded.has(table))) continue;
    const statement = after.find((s) => s.plan?.kind !== 'missing' && s.plan?.seqScans.includes(table))!;
    const counterpart = before.find((s) => s.fingerprint === statement.fingerprint);
    findings.push({
      kind: 'new-seq-scan',
      severity: 'regression',
      table,
      statement: refOf(statement),
      rowsRemovedByFilter: { base: removedByFilter(counterpart), head: removedByFilter(statement) },
    });
  }
  const indexedAfter = indexed(after);
  const sentAfter = new Set(after.map((s) => s.fingerprint));
  for (const index of indexed(before)) {
    if (indexedAfter.has(index)) continue;
    const statement = before.find((s) => s.plan?.kind !== 'missing' && s.plan?.indexes.includes(index))!;
    // A statement the head no longer sends is fewer statements, not a plan that lost its index.
    if (!sentAfter.has(statement.fingerprint)) continue;
    findings.push({ kind: 'index-unused', severity: 'regression', index, statement: refOf(statement) });
  }
  return findings;
}

/** Plan shapes that changed for statements present on both sides (in the calls that stand for each). */
function planFindings(base: CostRecord, head: CostRecord): CostFinding[] {
  const findings: CostFinding[] = [];
  const seen = new Set<string>();
  for (const [before, after] of pairStatements(representativeCall(base).sequence, representativeCall(head).sequence)) {
    if (!before.plan || !after.plan || before.plan.kind === 'missing' || after.plan.kind === 'missing') continue;
    if (before.plan.hash === after.plan.hash) continue;
    const key = `${before.fingerprint}:${before.plan.hash}:${after.plan.hash}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const statement: StatementRef = refOf(after);
    findings.push({ kind: 'plan-changed', severity: 'info', statement, base: before.plan.nodes, head: after.plan.nodes });
  }
  return findings;
}

/** Compares a head record with a base record of the same operation; [] when nothing changed. */
export function compareCostRecords(base: CostRecord, head: CostRecord, options: CompareCostOptions = {}): CostFinding[] {
  checkComparable(base, head);
  if (base.serverVersionNum !== null && head.serverVersionNum !== null && major(base.serverVersionNum) !== major(head.serverVersionNum)) {
    // Plans, and even some counts, change with the server: compare only records of one major.
    const reason = `measured on PostgreSQL ${major(base.serverVersionNum)} (base) and ${major(head.serverVersionNum)} (head)`;
    return [{ kind: 'incomparable', severity: 'info', reason }];
  }
  const findings: CostFinding[] = [];
  if (!base.stable) findings.push({ kind: 'unstable-calls', severity: 'info', side: 'base', pattern: base.pattern });
  if (!head.stable) findings.push({ kind: 'unstable-calls', severity: 'info', side: 'head', pattern: head.pattern });
  findings.push(...countFindings(base, head), ...scanFindings(base, head, options), ...planFindings(base, head));
  const before = representativeCall(base).sharedBuffers;
  const after = representativeCall(head).sharedBuffers;
  if (before !== after) findings.push({ kind: 'buffers-changed', severity: 'report', base: before, head: after });
  return findings;
}
