/**
 * Turns what one capture window saw (statements, outcomes, NOTICEs) into the counted cost of one
 * call: each statement fingerprinted, its rows counted, its plan attached and summarised.
 */
import { parseAutoExplainNotice, type AutoExplainPlan } from './auto-explain-notice.js';
import type { CallCost, PlanSource, StatementCost, StatementEnd, StatementPlan } from './cost-record.js';
import { attributePlans, type ArrivedPlan } from './plan-attribution.js';
import { summarisePlan } from './plan-summary.js';
import type { StatementOutcome } from './query-outcome.js';
import type { SqlParser, StatementSyntax } from './sql-parser.js';
import type { CapturedCall } from './statement-capture.js';

/** Everything a call's cost is built from. */
export interface CallCostInput {
  readonly captured: CapturedCall;
  readonly parser: SqlParser;
  readonly planSource: PlanSource;
  /** Estimated plans (the "Plan" root of `EXPLAIN (FORMAT JSON)`) by statement index, for the `explain` source. */
  readonly estimated?: ReadonlyMap<number, Record<string, unknown>>;
}

/** Commands whose tag count is rows written. */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

function countRows(outcome: StatementOutcome): StatementCost['rows'] {
  if (outcome.kind !== 'completed') return { returned: 0, affected: 0 };
  let returned = 0;
  let affected = 0;
  for (const result of outcome.results) {
    returned += result.rowsReturned;
    if (WRITES.has(result.command)) affected += result.rowCount ?? 0;
  }
  return { returned, affected };
}

function endOf(outcome: StatementOutcome): StatementEnd {
  if (outcome.kind === 'failed') return { kind: 'failed', code: outcome.code ?? null };
  return { kind: outcome.kind };
}

/** One plan from several (a multi-statement text): shapes one after another, totals added. */
function analyzedPlan(plans: readonly AutoExplainPlan[]): StatementPlan {
  const summaries = plans.map((plan) => summarisePlan(plan.plan));
  const nodes = summaries.flatMap((s) => s.shape.nodes);
  const buffers = summaries.map((s) => s.totals?.sharedBuffers).filter((b): b is number => b !== undefined);
  return {
    kind: 'analyzed',
    hash: summaries.length === 1 ? summaries[0]!.shape.hash : summaries.map((s) => s.shape.hash).join('+'),
    nodes,
    seqScans: summaries.flatMap((s) => s.shape.seqScans),
    indexes: summaries.flatMap((s) => s.shape.indexes),
    rowsRemovedByFilter: summaries.reduce((sum, s) => sum + (s.totals?.rowsRemovedByFilter ?? 0), 0),
    sharedBuffers: buffers.length === 0 ? null : buffers.reduce((a, b) => a + b, 0),
  };
}

function estimatedPlan(root: Record<string, unknown>): StatementPlan {
  const { shape } = summarisePlan(root);
  return { kind: 'estimated', hash: shape.hash, nodes: shape.nodes, seqScans: shape.seqScans, indexes: shape.indexes };
}

function missingReason(source: PlanSource, syntax: StatementSyntax, end: StatementEnd): string {
  if (end.kind === 'failed') return 'the statement failed, so it has no plan';
  if (source.kind === 'none') return source.reason;
  if (source.kind === 'explain') {
    return syntax.kind === 'select'
      ? `EXPLAIN gave no plan (auto_explain unavailable: ${source.reason})`
      : `auto_explain unavailable (${source.reason}); only SELECTs are explained, writes are never re-run`;
  }
  return 'no auto_explain plan arrived for it (its transaction still open when the call returned?)';
}

function planOf(
  plans: readonly AutoExplainPlan[],
  estimated: Record<string, unknown> | undefined,
  syntax: StatementSyntax,
  end: StatementEnd,
  source: PlanSource,
): StatementPlan | undefined {
  if (plans.length > 0) return analyzedPlan(plans);
  if (estimated) return estimatedPlan(estimated);
  if (syntax.planned === 0) return undefined;
  return { kind: 'missing', reason: missingReason(source, syntax, end) };
}

/** Builds the cost of one call from its capture window. */
export function buildCallCost(input: CallCostInput): CallCost {
  const { captured, parser, planSource } = input;
  const syntaxes = captured.statements.map((s) => parser.describe(s.text, s.values));
  const arrived: ArrivedPlan[] = captured.notices.flatMap((notice) => {
    const plan = parseAutoExplainNotice(notice.message);
    return plan ? [{ connection: notice.connection, plan }] : [];
  });
  const claims = captured.statements.map((s, i) => ({
    connection: s.connection,
    text: s.text,
    expectedPlans: s.outcome.kind === 'failed' ? 0 : syntaxes[i]!.planned,
  }));
  const attribution = attributePlans(claims, arrived);
  const sequence = captured.statements.map((statement, i): StatementCost => {
    const syntax = syntaxes[i]!;
    const end = endOf(statement.outcome);
    const plan = planOf(attribution.plans[i]!, input.estimated?.get(i), syntax, end, planSource);
    return {
      fingerprint: syntax.fingerprint,
      normalized: syntax.normalized,
      kind: syntax.kind,
      statements: syntax.statements,
      transactionControl: syntax.transactionControl,
      parameters: statement.values?.length ?? 0,
      inLengths: syntax.inLengths,
      valuesLengths: syntax.valuesLengths,
      rows: countRows(statement.outcome),
      end,
      ...(plan ? { plan } : {}),
    };
  });
  return summariseCall(sequence, new Set(captured.statements.map((s) => s.connection)).size, attribution.unattributed);
}

/** A call's totals from its statements in the order sent (test fixtures build calls with it too). */
export function summariseCall(sequence: readonly StatementCost[], connections: number, strayPlans: number): CallCost {
  const buffers = sequence.flatMap((s) => (s.plan?.kind === 'analyzed' && s.plan.sharedBuffers !== null ? [s.plan.sharedBuffers] : []));
  return {
    statements: sequence.reduce((sum, s) => sum + s.statements, 0),
    roundTrips: sequence.length,
    transactionControl: sequence.reduce((sum, s) => sum + s.transactionControl, 0),
    rowsReturned: sequence.reduce((sum, s) => sum + s.rows.returned, 0),
    rowsAffected: sequence.reduce((sum, s) => sum + s.rows.affected, 0),
    connections,
    sharedBuffers: buffers.length === 0 ? null : buffers.reduce((a, b) => a + b, 0),
    strayPlans,
    sequence,
  };
}
