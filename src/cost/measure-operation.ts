/**
 * The cost pass for one operation: a warm-up call (catalog caches, the ORM's metadata and prepared
 * paths fill here, and would otherwise count as the first call's cost), then N measured calls, one
 * after another, each in its own capture window.
 */
import { buildCallCost } from './call-cost.js';
import type { CaptureSession } from './capture-session.js';
import { buildCostRecord, type CallCost, type CostRecord } from './cost-record.js';
import { explainSelects, type ExplainRunner } from './explain-fallback.js';
import type { SqlParser } from './sql-parser.js';
import type { CaptureWindowOptions, CapturedCall, StatementCapture } from './statement-capture.js';

/** What measuring one operation needs. */
export interface MeasureOperationInput {
  /** The operation's id, as the record names it. */
  readonly operation: string;
  /** One call of the operation; it must finish its statements before it resolves. */
  readonly call: () => Promise<unknown>;
  readonly capture: StatementCapture;
  readonly parser: SqlParser;
  /** The prepared capture connection (prepareCaptureSession). */
  readonly session: CaptureSession;
  /** Measured calls; 3 unless set. */
  readonly calls?: number;
  /** Unmeasured calls before them; 1 unless set. */
  readonly warmUpCalls?: number;
  /** Runs EXPLAIN on the capture connection; needed only when the session could not load auto_explain. */
  readonly explain?: ExplainRunner;
  /** Narrows the capture windows to given clients. */
  readonly window?: CaptureWindowOptions;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 1000) {
    throw new Error(`measure operation: '${name}' must be a whole number from ${min} to 1000, got '${value}'`);
  }
}

/** Runs the call in a capture window; the window is closed even when the call throws. */
async function captureCall(input: MeasureOperationInput): Promise<CapturedCall> {
  input.capture.start(input.window);
  let captured: CapturedCall | undefined;
  try {
    await input.call();
  } finally {
    captured = input.capture.stop();
  }
  return captured;
}

/** Measures an operation's cost: warm-up, then the measured calls, each counted on its own. */
export async function measureOperationCost(input: MeasureOperationInput): Promise<CostRecord> {
  const calls = input.calls ?? 3;
  const warmUpCalls = input.warmUpCalls ?? 1;
  checkCount('calls', calls, 1);
  checkCount('warmUpCalls', warmUpCalls, 0);
  const { planSource, serverVersionNum } = input.session;
  if (planSource.kind === 'explain' && !input.explain) {
    throw new Error(`measure operation '${input.operation}': auto_explain is unavailable (${planSource.reason}), so 'explain' is needed`);
  }
  for (let i = 0; i < warmUpCalls; i++) await captureCall(input);
  const explainCache = new Map<string, Record<string, unknown> | undefined>();
  const measured: CallCost[] = [];
  for (let i = 0; i < calls; i++) {
    const captured = await captureCall(input);
    const estimated =
      planSource.kind === 'explain' && input.explain ? await explainSelects(input.explain, captured, input.parser, explainCache) : undefined;
    measured.push(buildCallCost({ captured, parser: input.parser, planSource, ...(estimated ? { estimated } : {}) }));
  }
  return buildCostRecord({ operation: input.operation, planSource, serverVersionNum }, measured);
}
