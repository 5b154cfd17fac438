import { describe, expect, it } from 'vitest';
import { fitRoundsToBudget, MIN_PAIRED_ROUNDS, ONCE_PER_ARM, ONCE_SIDE_BY_SIDE } from '../../src/duet/round-plan.js';
import { ALL_SCENARIOS } from '../../src/run/own-scenarios.js';
import { isSelected } from '../../src/suites/selection.js';

const plan = { rounds: 32, budgetMs: 1000, minRounds: MIN_PAIRED_ROUNDS };

describe('fitRoundsToBudget', () => {
  it('keeps the configured rounds while they fit, and cuts the others to what the budget pays for', () => {
    expect(fitRoundsToBudget(plan, 28)).toBe(32); // 35 would fit
    expect(fitRoundsToBudget(plan, 31.25)).toBe(32); // exactly 32
    expect(fitRoundsToBudget(plan, 31.3)).toBe(31);
    expect(fitRoundsToBudget(plan, 100)).toBe(10);
  });

  it('never goes below the fewest rounds that give an interval, nor plans from a round that cost nothing', () => {
    expect(fitRoundsToBudget(plan, 200)).toBe(10);
    expect(fitRoundsToBudget(plan, 0)).toBe(32);
    expect(fitRoundsToBudget(plan, Number.NaN)).toBe(32);
    expect(fitRoundsToBudget({ ...plan, rounds: 4 }, 600)).toBe(4);
  });
});

describe('the scenarios run once per arm', () => {
  it('are the retry category and the scenarios of fixed waits or fixed work; those that wait run side by side', () => {
    const once = ALL_SCENARIOS.filter((d) => isSelected(d, ONCE_PER_ARM)).map((d) => d.id);
    expect(once).toEqual([
      'pooling.exhaustion',
      'retry.transient_failures',
      'retry.circuit_breaker',
      'retry.timeout',
      'retry.exponential_backoff',
      'retry.retry_storm',
      'sessions.exception_cleanup',
      'sessions.memory_stability',
    ]);
    const sideBySide = ALL_SCENARIOS.filter((d) => isSelected(d, ONCE_SIDE_BY_SIDE)).map((d) => d.id);
    expect(sideBySide).toEqual(once.filter((id) => id !== 'sessions.memory_stability'));
  });
});
