/**
 * The cost library: exact, machine-independent costs of data-layer operations (statements, round
 * trips, rows, plans, buffers) captured at the `pg` client, and the pure rules that judge them.
 *
 * Flow: installStatementCapture(user's pg.Client) -> prepareCaptureSession(run on the capture
 * connection) -> loadSqlParser() -> measureOperationCost(...) per operation -> CostRecord ->
 * compareCostRecords(base, head) / checkStatementGrowth(records at two sizes) -> findings.
 */
export { installStatementCapture } from './statement-capture.js';
export type { StatementCapture, CapturedCall, CapturedStatement, CapturedNotice, CaptureWindowOptions } from './statement-capture.js';
export type { PgClientClass, PgClientLike } from './pg-client-shape.js';
export { loadSqlParser } from './sql-parser.js';
export type { SqlParser, StatementSyntax } from './sql-parser.js';
export type { StatementKind } from './statement-kind.js';
export { prepareCaptureSession, DETERMINISTIC_SETTINGS, AUTO_EXPLAIN_SETTINGS } from './capture-session.js';
export type { CaptureSession, SqlRunner } from './capture-session.js';
export { prepareScratchTables, quoteQualifiedName } from './scratch-tables.js';
export type { ScratchTableOptions } from './scratch-tables.js';
export { explainSelects, readExplainPlan } from './explain-fallback.js';
export type { ExplainRunner } from './explain-fallback.js';
export { parseAutoExplainNotice } from './auto-explain-notice.js';
export type { AutoExplainPlan } from './auto-explain-notice.js';
export { summarisePlan, describePlanNode } from './plan-summary.js';
export type { PlanShape, PlanSummary, PlanTotals } from './plan-summary.js';
export { buildCallCost } from './call-cost.js';
export { buildCostRecord, COST_RECORD_VERSION } from './cost-record.js';
export type { CostRecord, CallCost, StatementCost, StatementPlan, StatementEnd, PlanSource } from './cost-record.js';
export { measureOperationCost } from './measure-operation.js';
export type { MeasureOperationInput } from './measure-operation.js';
export { compareCostRecords } from './compare-cost.js';
export type { CompareCostOptions } from './compare-cost.js';
export { worstSeverity } from './cost-findings.js';
export type { CostFinding, StatementRef, StatementDelta, CallCounts } from './cost-findings.js';
export { checkStatementGrowth, findRepeatedStatements } from './statement-growth.js';
export type { GrowthFinding, SizedCostRecord, GrowingStatement } from './statement-growth.js';
