/**
 * What came back for one captured `query` call, read from pg's Result (promise and callback forms)
 * or from the command tags a Submittable is handed (cursors, streams, a bare `pg.Query`).
 */
import type { PgResultLike, PgSubmittableLike } from './pg-client-shape.js';

/** One command's completion: its tag (`SELECT`, `INSERT`, ...), pg's rowCount and the rows that reached the client. */
export interface CommandResult {
  readonly command: string;
  /** The count in the command tag (rows selected, inserted, updated, deleted); null when the tag has none. */
  readonly rowCount: number | null;
  /** Rows the server sent to the client for this command. */
  readonly rowsReturned: number;
}

/** The state of a captured statement: still running, completed (one result per command in the text) or failed. */
export type StatementOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'completed'; readonly results: readonly CommandResult[] }
  | { readonly kind: 'failed'; readonly code: string | undefined; readonly message: string };

function readResult(result: PgResultLike): CommandResult {
  return {
    command: typeof result.command === 'string' ? result.command : '',
    rowCount: typeof result.rowCount === 'number' ? result.rowCount : null,
    rowsReturned: Array.isArray(result.rows) ? result.rows.length : 0,
  };
}

/** The outcome of a pg Result, or of the array of Results a multi-statement simple query resolves to. */
export function completedOutcome(result: unknown): StatementOutcome {
  const results = (Array.isArray(result) ? result : [result]).filter(
    (item): item is PgResultLike => typeof item === 'object' && item !== null,
  );
  return { kind: 'completed', results: results.map(readResult) };
}

/** The outcome of an error a query failed with; the SQLSTATE is kept, since an error is a cost too. */
export function failedOutcome(error: unknown): StatementOutcome {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' ? record.code : undefined;
  const message = typeof record.message === 'string' ? record.message : String(error);
  return { kind: 'failed', code, message };
}

/**
 * Splits a command tag as PostgreSQL sends it: `SELECT 3`, `INSERT 0 5` (the 0 is a legacy OID),
 * `UPDATE 2`, `BEGIN`. The count is the last word when it is a number.
 */
export function parseCommandTag(tag: string): { command: string; rowCount: number | null } {
  const words = tag.trim().split(/\s+/);
  const last = words[words.length - 1] ?? '';
  const rowCount = words.length > 1 && /^\d+$/.test(last) ? Number(last) : null;
  return { command: words[0] ?? '', rowCount };
}

/**
 * Listens to a Submittable's handlers (wrapped on the instance, so its class is untouched) and calls
 * `finish` once with the outcome when pg hands it ReadyForQuery. Rows are counted as data rows arrive.
 */
export function observeSubmittable(submittable: PgSubmittableLike, finish: (outcome: StatementOutcome) => void): void {
  const results: CommandResult[] = [];
  let rows = 0;
  let failure: StatementOutcome | undefined;
  let done = false;
  const wrap = <K extends 'handleDataRow' | 'handleCommandComplete' | 'handleError' | 'handleReadyForQuery'>(
    name: K,
    before: (...args: Parameters<NonNullable<PgSubmittableLike[K]>>) => void,
  ): void => {
    const original = submittable[name];
    if (typeof original !== 'function') return;
    submittable[name] = function (this: unknown, ...args: unknown[]) {
      (before as (...a: unknown[]) => void)(...args);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as PgSubmittableLike[K];
  };
  const settle = (): void => {
    if (done) return;
    done = true;
    finish(failure ?? { kind: 'completed', results });
  };
  wrap('handleDataRow', () => void rows++);
  wrap('handleCommandComplete', (message) => {
    results.push({ ...parseCommandTag(message?.text ?? ''), rowsReturned: rows });
    rows = 0;
  });
  wrap('handleError', (error) => {
    failure = failedOutcome(error);
    // pg does not always call handleReadyForQuery after an error it raised itself (a lost connection).
    settle();
  });
  wrap('handleReadyForQuery', settle);
}
