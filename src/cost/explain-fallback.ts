/**
 * The fallback when auto_explain cannot be loaded: estimated plans from `EXPLAIN (FORMAT JSON)`
 * (no ANALYZE, so nothing is executed), for SELECT statements only. Writes are never explained:
 * the plan of an UPDATE run after the call, on data the call already changed, would not be the plan
 * it ran with. Run after the capture window closed, so the EXPLAINs are not captured.
 */
import type { SqlParser } from './sql-parser.js';
import type { CapturedCall } from './statement-capture.js';

/** Runs one statement with its bound parameters on the capture connection and resolves to its rows. */
export type ExplainRunner = (sql: string, values: readonly unknown[] | undefined) => Promise<readonly Record<string, unknown>[]>;

/** The "Plan" root of an EXPLAIN (FORMAT JSON) result row; pg parses the json column, some drivers do not. */
export function readExplainPlan(rows: readonly Record<string, unknown>[]): Record<string, unknown> | undefined {
  let document = rows[0]?.['QUERY PLAN'];
  if (typeof document === 'string') document = JSON.parse(document);
  const plan = Array.isArray(document) ? (document[0] as { Plan?: unknown } | undefined)?.Plan : undefined;
  return typeof plan === 'object' && plan !== null ? (plan as Record<string, unknown>) : undefined;
}

/**
 * Estimated plans of the call's completed single-statement SELECTs, by statement index. A statement
 * that EXPLAIN rejects is left out (its plan shows as missing). `cache` (text and values to plan)
 * spares repeating the same EXPLAIN for every measured call.
 */
export async function explainSelects(
  run: ExplainRunner,
  captured: CapturedCall,
  parser: SqlParser,
  cache: Map<string, Record<string, unknown> | undefined> = new Map(),
): Promise<Map<number, Record<string, unknown>>> {
  const plans = new Map<number, Record<string, unknown>>();
  for (const [index, statement] of captured.statements.entries()) {
    const syntax = parser.describe(statement.text, statement.values);
    if (syntax.kind !== 'select' || syntax.statements !== 1 || statement.outcome.kind !== 'completed') continue;
    const key = JSON.stringify([statement.text, statement.values ?? null]);
    if (!cache.has(key)) {
      const plan = await run(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values).then(readExplainPlan, () => undefined);
      cache.set(key, plan);
    }
    const plan = cache.get(key);
    if (plan) plans.set(index, plan);
  }
  return plans;
}
