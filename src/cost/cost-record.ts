/**
 * The cost record of one operation: what each measured call sent to PostgreSQL, counted exactly.
 * JSON-serialisable (no undefined in required fields, nulls instead) and versioned, so records of
 * two commits, or a stored baseline, can be compared field by field.
 *
 * Calls are not averaged. Measured calls that differ (a random key that picks another plan, a cache
 * that fills on the second call) are all kept: `calls` holds each distinct call once, `pattern` says
 * which one each measured call was, and `stable` is false.
 */
import type { StatementKind } from './statement-kind.js';

/** The version of the record's shape; a reader refuses other versions. */
export const COST_RECORD_VERSION = 1;

/** Where a record's plans came from. */
export type PlanSource =
  /** auto_explain on the capture session: the executed plan of every statement, writes included. */
  | { readonly kind: 'auto_explain' }
  /** auto_explain could not be loaded (`reason`): estimated plans from EXPLAIN, for SELECTs only. */
  | { readonly kind: 'explain'; readonly reason: string }
  /** No plans at all (`reason`). */
  | { readonly kind: 'none'; readonly reason: string };

/** The plan of a statement, as far as it is known. */
export type StatementPlan =
  | {
      readonly kind: 'analyzed';
      readonly hash: string;
      readonly nodes: readonly string[];
      readonly seqScans: readonly string[];
      readonly indexes: readonly string[];
      /** Rows read and discarded by filters, over all nodes and loops. */
      readonly rowsRemovedByFilter: number;
      /** Shared hit + read blocks of the execution; null when the plan had no buffer counts. */
      readonly sharedBuffers: number | null;
    }
  | {
      readonly kind: 'estimated';
      readonly hash: string;
      readonly nodes: readonly string[];
      readonly seqScans: readonly string[];
      readonly indexes: readonly string[];
    }
  | { readonly kind: 'missing'; readonly reason: string };

/** How a statement ended. */
export type StatementEnd =
  | { readonly kind: 'completed' }
  | { readonly kind: 'failed'; readonly code: string | null }
  /** Its result had not arrived when the call returned (a query not awaited by the operation). */
  | { readonly kind: 'pending' };

/** One statement (one `query` call) of a measured call. */
export interface StatementCost {
  readonly fingerprint: string;
  readonly normalized: string;
  readonly kind: StatementKind;
  /** Statements in the text (more than 1 only for a multi-statement simple query). */
  readonly statements: number;
  /** Of which transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, SET TRANSACTION, ...). */
  readonly transactionControl: number;
  /** Bound parameters sent with it (0 for a simple query, where an ORM inlined its values). */
  readonly parameters: number;
  readonly inLengths: readonly number[];
  readonly valuesLengths: readonly number[];
  /** Rows sent to the client, and rows inserted, updated, deleted or merged. */
  readonly rows: { readonly returned: number; readonly affected: number };
  readonly end: StatementEnd;
  /** Absent for statements PostgreSQL does not plan (transaction control, SET, DDL, ...). */
  readonly plan?: StatementPlan;
}

/** One measured call of the operation. */
export interface CallCost {
  /** Statements sent (a multi-statement text counts each). */
  readonly statements: number;
  /** `query` calls, each one round trip to the server. */
  readonly roundTrips: number;
  /** Transaction-control statements among `statements`. */
  readonly transactionControl: number;
  readonly rowsReturned: number;
  readonly rowsAffected: number;
  /** Connections the call used (1 on the cost pass's pool of one). */
  readonly connections: number;
  /** Shared hit + read blocks over the statements' executed plans; null when none had counts. */
  readonly sharedBuffers: number | null;
  /** auto_explain plans that matched no statement of the call (nested statements, leftovers). */
  readonly strayPlans: number;
  /** The statements in the order they were sent. */
  readonly sequence: readonly StatementCost[];
}

/** The cost of one operation over its measured calls. */
export interface CostRecord {
  readonly version: typeof COST_RECORD_VERSION;
  /** The operation's id (`bench.query.get_by_email`). */
  readonly operation: string;
  readonly callsMeasured: number;
  readonly planSource: PlanSource;
  /** `server_version_num` of the server measured on; null when unknown. */
  readonly serverVersionNum: number | null;
  /** Whether every measured call was the same in all but buffers. */
  readonly stable: boolean;
  /** Whether every measured call was the same, buffers included. */
  readonly buffersStable: boolean;
  /** Each distinct call once, in the order first seen. */
  readonly calls: readonly CallCost[];
  /** For each measured call, the index in `calls` of the call it was. */
  readonly pattern: readonly number[];
}

/** What a record is built from besides its calls. */
export interface CostRecordContext {
  readonly operation: string;
  readonly planSource: PlanSource;
  readonly serverVersionNum: number | null;
}

/** The JSON of a call without buffer counts: the key for "the same in all but buffers". */
function countsKey(call: CallCost): string {
  return JSON.stringify(call, (key, value: unknown) => (key === 'sharedBuffers' ? undefined : value));
}

/** Builds a record from the measured calls in the order they ran. */
export function buildCostRecord(context: CostRecordContext, measured: readonly CallCost[]): CostRecord {
  if (measured.length === 0) throw new Error(`cost record of '${context.operation}': expected at least one measured call, got 0`);
  const calls: CallCost[] = [];
  const keys: string[] = [];
  const pattern = measured.map((call) => {
    const key = JSON.stringify(call);
    let index = keys.indexOf(key);
    if (index === -1) {
      index = keys.push(key) - 1;
      calls.push(call);
    }
    return index;
  });
  const countKeys = new Set(calls.map(countsKey));
  return {
    version: COST_RECORD_VERSION,
    operation: context.operation,
    callsMeasured: measured.length,
    planSource: context.planSource,
    serverVersionNum: context.serverVersionNum,
    stable: countKeys.size === 1,
    buffersStable: calls.length === 1,
    calls,
    pattern,
  };
}
