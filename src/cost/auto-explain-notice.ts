/**
 * Reads the plans auto_explain sends as NOTICE messages (with `auto_explain.log_level = notice` and
 * `log_format = json`). A message reads
 *
 *     duration: 0.021 ms  plan:
 *     { "Query Text": "select * from t where id = $1", "Plan": { "Node Type": ... } }
 *
 * The same on PostgreSQL 15 and 18 (18 adds keys such as "Disabled" and "Index Searches" and prints
 * "Actual Rows" with two decimals; plan-summary.ts reads none of those).
 */

/** One executed statement's plan, as auto_explain logged it. */
export interface AutoExplainPlan {
  /** The text of the statement as the server received it (the whole string of a multi-statement query). */
  readonly queryText: string;
  /** The "Plan" object: the root node of the plan tree. */
  readonly plan: Record<string, unknown>;
}

const PREFIX = /^duration: [\d.]+ ms\s+plan:\s*/;

/** The plan in a NOTICE message; undefined for any other notice (a RAISE NOTICE of the user's, say). */
export function parseAutoExplainNotice(message: string): AutoExplainPlan | undefined {
  const prefix = PREFIX.exec(message);
  if (!prefix) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(message.slice(prefix[0].length));
  } catch {
    // Text or YAML format (someone else's settings on the session): not ours to read.
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { 'Query Text': queryText, Plan: plan } = body as Record<string, unknown>;
  if (typeof queryText !== 'string' || typeof plan !== 'object' || plan === null) return undefined;
  return { queryText, plan: plan as Record<string, unknown> };
}
