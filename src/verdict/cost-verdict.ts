/**
 * Judges the cost sections of two runs (pure): every rule exact, as the counts are
 * (cost/compare-cost.ts). A regression fails unless thresholds.json sets `cost: { severity: 'warn' }`
 * for its scenario; the N+1 check (statements growing with the size) needs no baseline and becomes
 * a failed check of the larger size's scenario.
 */
import { compareCostRecords } from '../cost/compare-cost.js';
import type { CostFinding } from '../cost/cost-findings.js';
import type { CostRecord } from '../cost/cost-record.js';
import { representativeCall } from '../cost/record-views.js';
import { checkStatementGrowth } from '../cost/statement-growth.js';
import type { CostOperationResult, CostSection } from '../results/cost-section.js';
import type { ResultsDocument } from '../results/types.js';
import type { CostBaseline, CostComparison, CostCounts, CostGrowthVerdict, CostOperationStatus, CostOperationVerdict } from './cost-types.js';
import { resolveRule, type Severity, type Thresholds } from './thresholds.js';
import type { FailedCheck } from './types.js';
import { COST_RULE } from './cost-rule.js';


/** The name of the failed check the N+1 check makes. */
export const GROWTH_CHECK = 'statements_constant_across_sizes';

/** What a cost regression of `scenarioId` does. */
export function costSeverity(thresholds: Thresholds, scenarioId: string): Severity {
  return resolveRule(thresholds, scenarioId, COST_RULE).severity;
}

/** The counts of a record's representative call (the one with the most round trips). */
export function countsOf(record: CostRecord): CostCounts {
  const call = representativeCall(record);
  const removed = call.sequence.reduce((sum, s) => sum + (s.plan?.kind === 'analyzed' ? s.plan.rowsRemovedByFilter : 0), 0);
  return {
    statements: call.statements,
    roundTrips: call.roundTrips,
    transactionControl: call.transactionControl,
    rowsReturned: call.rowsReturned,
    rowsAffected: call.rowsAffected,
    rowsExamined: call.rowsReturned + removed,
    sharedBuffers: call.sharedBuffers,
  };
}

/** Findings that only say the calls differ from each other or buffers moved: shown in comparison.json only. */
const QUIET: ReadonlySet<CostFinding['kind']> = new Set(['buffers-changed', 'unstable-calls']);

function statusOf(findings: readonly CostFinding[]): CostOperationStatus | 'unchanged' {
  if (findings.some((f) => f.severity === 'regression')) return 'regressed';
  const loud = findings.filter((f) => !QUIET.has(f.kind));
  if (loud.length > 0 && loud.every((f) => f.severity === 'improvement')) return 'improved';
  if (loud.length > 0) return 'changed';
  return findings.length > 0 ? 'buffers' : 'unchanged';
}

function judgeOperation(
  head: CostOperationResult,
  base: CostOperationResult | undefined,
  section: CostSection,
  thresholds: Thresholds,
): CostOperationVerdict | undefined {
  const common = { operation: head.id, scenarioId: head.scenarioId, severity: 'warn' as Severity, findings: [] as CostFinding[] };
  if (head.status === 'errored') return { ...common, status: 'errored', base: base?.status === 'measured' ? countsOf(base.record) : null, head: null, error: head.error };
  const counts = countsOf(head.record);
  if (!base || base.status === 'errored') return base ? undefined : { ...common, status: 'new', base: null, head: counts };
  const findings = compareCostRecords(base.record, head.record, { seededTables: section.seededTables });
  const status = statusOf(findings);
  if (status === 'unchanged') return undefined;
  const severity = status === 'regressed' ? costSeverity(thresholds, head.scenarioId) : 'warn';
  return { ...common, status, severity, base: countsOf(base.record), head: counts, findings };
}

/** Operations measured at two or more sizes whose statements grow with the size. */
function judgeGrowth(section: CostSection, thresholds: Thresholds): CostGrowthVerdict[] {
  const families = new Map<string, Array<Extract<CostOperationResult, { status: 'measured' }>>>();
  for (const op of section.operations) {
    if (op.status !== 'measured' || !op.size) continue;
    families.set(op.size.family, [...(families.get(op.size.family) ?? []), op]);
  }
  const verdicts: CostGrowthVerdict[] = [];
  for (const [family, ops] of families) {
    if (new Set(ops.map((op) => op.size!.size)).size < 2) continue;
    const bySize = new Map(ops.map((op) => [op.size!.size, op]));
    // Each size's record is named by its own scenario; the check wants one operation's records.
    const points = ops.map((op) => ({ size: op.size!.size, record: { ...op.record, operation: family } }));
    for (const finding of checkStatementGrowth(points)) {
      if (finding.kind !== 'statements-grow') continue;
      const scenarioId = bySize.get(finding.sizes[1])?.scenarioId ?? family;
      verdicts.push({ family, scenarioId, severity: costSeverity(thresholds, scenarioId), finding });
    }
  }
  return verdicts;
}

/** The failed checks of the N+1 check, as the report lists every failed check. */
export function growthFailedChecks(cost: CostComparison | undefined): FailedCheck[] {
  return (cost?.growth ?? []).map(({ scenarioId, severity, finding }) => ({
    scenarioId,
    severity,
    check: {
      name: GROWTH_CHECK,
      passed: false,
      measured: `${finding.statements[0]} statements per call at size ${finding.sizes[0]}, ${finding.statements[1]} at size ${finding.sizes[1]}`,
      expected: 'as many statements per call at every size',
    },
  }));
}

/** What judgeCost needs. */
export interface CostJudgeInput {
  /** This run's (the head's) cost section. */
  head: CostSection | undefined;
  /** The section it is compared with, and what that is; undefined: nothing to compare with (`reason`). */
  base: { section: CostSection; against: Exclude<CostBaseline, { kind: 'none' }> } | { reason: string };
  thresholds: Thresholds;
}

/** The cost comparison; undefined when this run has no cost section. */
export function judgeCost(input: CostJudgeInput): CostComparison | undefined {
  const { head, thresholds } = input;
  if (!head) return undefined;
  const growth = judgeGrowth(head, thresholds);
  if ('reason' in input.base) {
    const errored = head.operations.flatMap((op) => (op.status === 'errored' ? [judgeOperation(op, undefined, head, thresholds)!] : []));
    return { against: { kind: 'none', reason: input.base.reason }, planSource: head.planSource, operations: errored, unchanged: 0, growth };
  }
  const { section: base, against } = input.base;
  const bases = new Map(base.operations.map((op) => [op.id, op]));
  const judged = head.operations.map((op) => judgeOperation(op, bases.get(op.id), head, thresholds));
  const heads = new Set(head.operations.map((op) => op.id));
  const missing = base.operations
    .filter((op) => !heads.has(op.id))
    .map((op): CostOperationVerdict => ({
      operation: op.id,
      scenarioId: op.scenarioId,
      status: 'missing',
      severity: 'warn',
      base: op.status === 'measured' ? countsOf(op.record) : null,
      head: null,
      findings: [],
    }));
  const operations = [...judged.filter((v): v is CostOperationVerdict => v !== undefined), ...missing];
  return { against, planSource: head.planSource, operations, unchanged: judged.filter((v) => v === undefined).length, growth };
}

/** Whether two passes counted on tables seeded alike (a document without the counts matches any). */
function sameSeededRows(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined): boolean {
  if (!a || !b) return true;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((table) => a[table] === b[table]);
}

/** "users 10,000, api_keys 3,000" */
const describeRows = (rows: Readonly<Record<string, number>>): string =>
  Object.entries(rows)
    .map(([table, count]) => `${table} ${count.toLocaleString('en-US')}`)
    .join(', ');

/**
 * The newest baseline run with a cost section measured on the same PostgreSQL major as `current`
 * and on tables seeded to the same row counts (plans and rows examined depend on them), for a
 * history run; a reason when there is none.
 */
export function pickCostBaseline(current: ResultsDocument, history: readonly ResultsDocument[]): CostJudgeInput['base'] {
  const major = current.environment.postgres.major;
  const sameServer = history.filter((doc) => doc.cost && doc.environment.postgres.major === major);
  if (sameServer.length === 0) return { reason: `no baseline run has costs counted on PostgreSQL ${major}` };
  const rows = current.cost?.seededRows;
  const run = sameServer.find((doc) => sameSeededRows(doc.cost?.seededRows, rows));
  if (!run?.cost) return { reason: `no baseline run has costs counted on PostgreSQL ${major} with the same seeded rows (${describeRows(rows ?? {})})` };
  return { section: run.cost, against: { kind: 'baseline', sha: run.run.gitSha ?? null } };
}
