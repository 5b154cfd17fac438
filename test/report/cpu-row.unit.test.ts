import { describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import { renderScenarioRows } from '../../src/report/markdown-rows.js';
import { renderRunSummary } from '../../src/report/run-summary.js';
import { compareToBaseline } from '../../src/verdict/compare.js';
import { makeNoisyHistory, makeResults, makeScenario, TYPICAL_MEANS } from '../support/results-fixtures.js';

const ID = 'bench.crud.get_by_id';
const means = { [ID]: { ...TYPICAL_MEANS[ID]!, cpu_per_call_ms: 0.2 }, 'bench.crud.create': { ...TYPICAL_MEANS['bench.crud.create']! } };

function compare() {
  const history = makeNoisyHistory(3, 5, means, { machineSigma: 0.02, metricSigma: 0.01 });
  const current = makeResults({ scenarios: Object.entries(means).map(([id, values]) => makeScenario(id, values)) });
  return { current, comparison: compareToBaseline({ current, history, thresholds: parseThresholds({}, 'no thresholds') }) };
}

describe('CPU per call in the report', () => {
  it("stands beside the wall time in the scenario's row, when the scenario measured it", () => {
    const rows = renderScenarioRows(compare().comparison);
    const getById = rows.find((r) => r.scenarioId === ID)!.row;
    const cells = getById.split(' | ');
    expect(cells[1]).toBe('avg\\_ms / cpu\\_per\\_call\\_ms');
    // Baseline and now: two figures each, in ms.
    expect(cells[2]).toMatch(/^[\d.]+ ms \/ [\d.]+ ms$/);
    expect(cells[3]).toMatch(/^[\d.]+ ms \/ 0\.2\d* ms$/);
    // A scenario without it keeps its one metric.
    expect(rows.find((r) => r.scenarioId === 'bench.crud.create')!.row.split(' | ')[1]).toBe('avg\\_ms');
  });

  it("has a column in the run's terminal summary", () => {
    const summary = renderRunSummary(compare().current);
    expect(summary.split('\n')[0]).toContain('cpu ms/call');
    expect(summary.split('\n').find((l) => l.startsWith(ID))).toContain('0.200');
  });
});
