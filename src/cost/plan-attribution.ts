/**
 * Gives each captured statement the auto_explain plans that belong to it.
 *
 * Arrival order alone is not enough. Measured with pg 8.20 on PostgreSQL 15.20 and 18.4: a simple
 * query's plan NOTICE, and an extended (parameterised) query's outside a transaction, arrive before
 * the query's result resolves. But a parameterised SELECT inside a transaction block leaves its
 * portal open, and its plan is logged only when the portal is dropped: during the *next* statement on
 * that connection, or at COMMIT. So plans are matched by "Query Text", which auto_explain gives
 * exactly as sent: each plan goes to the earliest statement on its connection with that text that
 * still expects one. A multi-statement text expects one plan per planned statement in it.
 */
import type { AutoExplainPlan } from './auto-explain-notice.js';

/** A statement as attribution needs it. */
export interface PlanClaim {
  readonly connection: number;
  readonly text: string;
  /** How many plans it should get: its planned statements, 0 if it failed. */
  readonly expectedPlans: number;
}

/** A plan with the connection it arrived on. */
export interface ArrivedPlan {
  readonly connection: number;
  readonly plan: AutoExplainPlan;
}

/** The plans of each statement (same order as the claims), and how many plans matched none. */
export interface Attribution {
  readonly plans: readonly (readonly AutoExplainPlan[])[];
  /** Plans whose text matched no statement (nested statements, a previous window's leftovers). */
  readonly unattributed: number;
}

/** Matches plans to statements by connection and query text, in arrival order. */
export function attributePlans(claims: readonly PlanClaim[], arrived: readonly ArrivedPlan[]): Attribution {
  const plans: AutoExplainPlan[][] = claims.map(() => []);
  let unattributed = 0;
  for (const { connection, plan } of arrived) {
    let target = -1;
    let lastSameText = -1;
    for (let i = 0; i < claims.length; i++) {
      const claim = claims[i]!;
      if (claim.connection !== connection || claim.text !== plan.queryText) continue;
      lastSameText = i;
      if (plans[i]!.length < claim.expectedPlans) {
        target = i;
        break;
      }
    }
    // More plans than the parser expected (a CREATE TABLE AS, say): keep them on the latest such statement.
    if (target === -1) target = lastSameText;
    if (target === -1) unattributed++;
    else plans[target]!.push(plan);
  }
  return { plans, unattributed };
}
