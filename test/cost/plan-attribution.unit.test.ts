import { describe, expect, it } from 'vitest';
import { attributePlans, type ArrivedPlan } from '../../src/cost/plan-attribution.js';

function arrived(connection: number, queryText: string, tag: string): ArrivedPlan {
  return { connection, plan: { queryText, plan: { tag } } };
}

const tags = (plans: readonly (readonly { plan: Record<string, unknown> }[])[]) => plans.map((list) => list.map((p) => p.plan.tag));

describe('attributePlans', () => {
  it("gives a deferred plan (a parameterised SELECT's in a transaction, logged during the next statement) to the statement that ran it", () => {
    const claims = [
      { connection: 0, text: 'begin', expectedPlans: 0 },
      { connection: 0, text: 'select * from t where id = $1', expectedPlans: 1 },
      { connection: 0, text: 'select * from t where id = $1', expectedPlans: 1 },
      { connection: 0, text: 'update t set v = $1', expectedPlans: 1 },
      { connection: 0, text: 'commit', expectedPlans: 0 },
    ];
    // Observed order: the first select's plan arrives while the second runs; the second's while the update runs.
    const plans = [arrived(0, 'select * from t where id = $1', 'a'), arrived(0, 'select * from t where id = $1', 'b'), arrived(0, 'update t set v = $1', 'c')];
    expect(tags(attributePlans(claims, plans).plans)).toEqual([[], ['a'], ['b'], ['c'], []]);
  });

  it('skips a failed statement, matches per connection, and counts plans that match nothing', () => {
    const claims = [
      { connection: 0, text: 'select 1', expectedPlans: 0 },
      { connection: 0, text: 'select 1', expectedPlans: 1 },
      { connection: 1, text: 'select 1', expectedPlans: 1 },
    ];
    const result = attributePlans(claims, [arrived(1, 'select 1', 'x'), arrived(0, 'select 1', 'y'), arrived(0, 'select 2', 'z')]);
    expect(tags(result.plans)).toEqual([[], ['y'], ['x']]);
    expect(result.unattributed).toBe(1);
  });

  it('gives a multi-statement text one plan per planned statement in it', () => {
    const claims = [
      { connection: 0, text: 'select 1; select 2', expectedPlans: 2 },
      { connection: 0, text: 'select 1; select 2', expectedPlans: 2 },
    ];
    const plans = ['a', 'b', 'c', 'd'].map((tag) => arrived(0, 'select 1; select 2', tag));
    expect(tags(attributePlans(claims, plans).plans)).toEqual([['a', 'b'], ['c', 'd']]);
  });
});
