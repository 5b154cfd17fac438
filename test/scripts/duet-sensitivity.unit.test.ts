import { describe, expect, it } from 'vitest';
import { DEFAULT_PAIRED_LEVEL } from '../../src/verdict/paired.js';
import { Z_LEVEL, detectableByCategory, detectableByScenario, detectableChangePercent, standardErrorOf } from '../../scripts/duet-sensitivity.js';

// Expected numbers from a separate Python computation of the same formulas.
describe('the smallest change the duet verdict catches', () => {
  it('uses the quantile of the verdict\'s level', () => {
    // z of 99.8% two-sided: 1 - 0.001 = Phi(3.0902); change both together.
    expect(DEFAULT_PAIRED_LEVEL).toBe(0.998);
    expect(Z_LEVEL).toBeCloseTo(3.0902, 4);
  });

  it('reads the standard error back from a 99.8% interval and adds the level and power quantiles to the margin', () => {
    const se = standardErrorOf({ lowPercent: -5, highPercent: 15 });
    expect(se).toBeCloseTo(0.030912762833619482, 14);
    expect(detectableChangePercent(se, 5)).toBeCloseTo(21.551122864968477, 10);
    expect(detectableChangePercent(0, 5)).toBeCloseTo(5, 12);
  });

  it('credits the extension to twice the planned rounds, and not twice', () => {
    const reading = { scenarioId: 'bench.crud.get_by_id', lowPercent: -5, highPercent: 15, plannedRounds: 32 };
    const planned = detectableByScenario([{ ...reading, pairs: 32 }], 5).get('bench.crud.get_by_id');
    expect(planned).toBeCloseTo(16.450095245852523, 10);
    // A run that was already extended (64 pairs of 32 planned) gains nothing more.
    const extended = detectableByScenario([{ ...reading, pairs: 64 }], 5).get('bench.crud.get_by_id');
    expect(extended).toBeCloseTo(21.551122864968477, 10);
  });

  it('takes the median standard error per scenario and the most sensitive scenario per category', () => {
    const read = (scenarioId: string, highPercent: number) => ({ scenarioId, lowPercent: -highPercent, highPercent, pairs: 64, plannedRounds: 32 });
    const byScenario = detectableByScenario([read('bench.a', 10), read('bench.a', 30), read('bench.a', 20), read('bench.b', 5), read('pooling.c', 40)], 5);
    expect(byScenario.get('bench.a')).toBeCloseTo(detectableChangePercent(standardErrorOf({ lowPercent: -20, highPercent: 20 }), 5), 12);
    expect(detectableByCategory(byScenario)).toEqual(
      new Map([
        ['bench', { scenarioId: 'bench.b', percent: byScenario.get('bench.b') }],
        ['pooling', { scenarioId: 'pooling.c', percent: byScenario.get('pooling.c') }],
      ]),
    );
  });
});
