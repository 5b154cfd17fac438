/**
 * What kind of statement a parse tree holds, read from libpg_query's JSON parse tree (the node name
 * of each top-level statement), never from the SQL text with regular expressions.
 */

/** A statement's kind as the record shows it. */
export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  /** BEGIN / START TRANSACTION / COMMIT / ROLLBACK / SAVEPOINT / RELEASE / PREPARE TRANSACTION / SET TRANSACTION. */
  | 'transaction'
  /** Anything else PostgreSQL runs without a plan: SET, SHOW, DDL, LOCK, COPY, CALL, DO, ... */
  | 'utility'
  /** A text holding statements of different kinds (`select 1; update ...`). */
  | 'multiple'
  /** A text the parser rejected (it failed on the server too, or is newer syntax than the parser knows). */
  | 'unparsed';

const DML: Readonly<Record<string, StatementKind>> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** The kind of one top-level statement node (`{ SelectStmt: {...} }`). */
export function classifyStatementNode(node: unknown): StatementKind {
  if (typeof node !== 'object' || node === null) return 'utility';
  const [name, body] = Object.entries(node)[0] ?? [];
  if (name === undefined) return 'utility';
  const dml = DML[name];
  if (dml) return dml;
  if (name === 'TransactionStmt') return 'transaction';
  // SET TRANSACTION ... changes the current transaction; SET SESSION CHARACTERISTICS does not.
  if (name === 'VariableSetStmt' && (body as { name?: unknown } | undefined)?.name === 'TRANSACTION') return 'transaction';
  return 'utility';
}

/** Whether PostgreSQL plans and executes this kind, so auto_explain logs one plan for it. */
export function isPlannedKind(kind: StatementKind): boolean {
  return kind === 'select' || kind === 'insert' || kind === 'update' || kind === 'delete' || kind === 'merge';
}

/** The kind of a whole text from the kinds of its statements. */
export function combineKinds(kinds: readonly StatementKind[]): StatementKind {
  const [first] = kinds;
  if (first === undefined) return 'utility';
  return kinds.every((kind) => kind === first) ? first : 'multiple';
}
