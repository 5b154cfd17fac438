import { describe, expect, it } from 'vitest';
import { ALL_SCENARIO_IDS } from '../../src/suites/catalog.js';
import { ALL_SCENARIOS } from '../../src/run/own-scenarios.js';
import { selectScenarios } from '../../src/suites/selection.js';

const ids = (selection: Parameters<typeof selectScenarios>[1]) => selectScenarios(ALL_SCENARIOS, selection).map((d) => d.id);

describe('the scenario registry', () => {
  it('holds every catalog id exactly once, in catalog order', () => {
    expect(ALL_SCENARIOS.map((d) => d.id)).toEqual([...ALL_SCENARIO_IDS]);
    expect(ALL_SCENARIOS.every((d) => d.id.startsWith(`${d.category}.`))).toBe(true);
  });
});

describe('selectScenarios', () => {
  it('selects everything, categories, single ids, parameter families and groups', () => {
    expect(ids({})).toHaveLength(ALL_SCENARIO_IDS.length);
    expect(ids({ categories: ['retry'] })).toEqual([
      'retry.transient_failures',
      'retry.circuit_breaker',
      'retry.timeout',
      'retry.exponential_backoff',
      'retry.retry_storm',
    ]);
    expect(ids({ scenarios: ['bench.pagination'] })).toEqual([
      'bench.pagination:10',
      'bench.pagination:25',
      'bench.pagination:50',
      'bench.pagination:100',
    ]);
    expect(ids({ scenarios: ['bench.crud'] })).toHaveLength(5);
    expect(ids({ scenarios: ['bench.concurrent.read:5'], categories: ['pooling'] })).toEqual([
      'pooling.normal_load',
      'pooling.high_load',
      'pooling.exhaustion',
      'pooling.recycling',
      'pooling.monitoring',
      'bench.concurrent.read:5',
    ]);
  });

  it('names an unknown category or scenario id', () => {
    expect(() => ids({ categories: ['bench', 'pool'] })).toThrow("'categories' has 'pool', expected one of pooling, retry, sessions, bench");
    expect(() => ids({ scenarios: ['bench.crud.get_by_idd'] })).toThrow("'scenarios' has 'bench.crud.get_by_idd', which is not a scenario id");
    expect(() => ids({ scenarios: ['bench.cru'] })).toThrow("'scenarios' has 'bench.cru'");
  });
});
