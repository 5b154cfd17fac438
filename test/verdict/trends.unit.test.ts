import { describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/config/thresholds.js';
import { compareToBaseline } from '../../src/verdict/compare.js';
import { buildTrends, DEFAULT_KEY_LATENCIES, labelRuns, MAX_TREND_LINES, MAX_TREND_RUNS } from '../../src/verdict/trends.js';
import { makeNoisyHistory, makeResults, makeScenario, TYPICAL_MEANS } from '../support/results-fixtures.js';

const thresholds = parseThresholds({}, 'trend thresholds');

describe('labelRuns', () => {
  it('gives runs of one commit distinct labels: position and short sha, oldest first', () => {
    const runs = [makeResults({ sha: '1e61571'.padEnd(40, '0') }), makeResults({ sha: '1e61571'.padEnd(40, '0') }), makeResults()];
    runs[2] = { ...runs[2]!, run: { ...runs[2]!.run, gitSha: undefined } };
    expect(labelRuns(runs)).toEqual(['1:1e61571', '2:1e61571', '3', 'this run']);
  });
});

describe('buildTrends', () => {
  const history = makeNoisyHistory(7, 8, TYPICAL_MEANS, { machineSigma: 0.01, metricSigma: 0.01 });

  it('charts regressed latencies first, then the key latencies, at most five lines, each once', () => {
    const slower = { ...TYPICAL_MEANS, 'pooling.normal_load': { avg_ms: 8, p95_ms: 12, error_rate: 0.5 }, 'bench.crud.update': { avg_ms: 1.6, p95_ms: 1.4 } };
    const current = makeResults({ scenarios: Object.entries(slower).map(([id, values]) => makeScenario(id, values)) });
    const comparison = compareToBaseline({ current, history, thresholds });
    const lines = comparison.trends.map((t) => `${t.scenarioId} ${t.metric}`);
    // p95 of normal load regressed too, but only warns: failing regressions come first.
    expect(lines).toEqual([
      'bench.crud.update avg_ms',
      'pooling.normal_load avg_ms',
      'pooling.normal_load p95_ms',
      'bench.crud.get_by_id avg_ms',
      'bench.crud.create avg_ms',
    ]);
    expect(lines).toHaveLength(MAX_TREND_LINES);
    expect(lines).not.toContain('pooling.normal_load error_rate');
  });

  it('leaves out lines ten times smaller or larger than the first, which one axis would flatten', () => {
    const slower = { ...TYPICAL_MEANS, 'pooling.normal_load': { avg_ms: 40, p95_ms: 90, error_rate: 0 } };
    const current = makeResults({ scenarios: Object.entries(slower).map(([id, values]) => makeScenario(id, values)) });
    const comparison = compareToBaseline({ current, history, thresholds });
    // get_by_id (0.3 ms) would sit on the floor of a 0-100 ms axis; p95 peaks at 90, within 10 x 40.
    expect(comparison.trends.map((t) => `${t.scenarioId} ${t.metric}`)).toEqual(['pooling.normal_load avg_ms', 'pooling.normal_load p95_ms']);
  });

  it('keeps the newest ten history runs and this run, oldest first, and leaves out a trend with a gap', () => {
    const long = makeNoisyHistory(8, 14, TYPICAL_MEANS);
    const current = makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.31 }), makeScenario('bench.crud.create', { avg_ms: 0.9 })] });
    const withGap = long.map((doc, i) => (i === 3 ? { ...doc, scenarios: doc.scenarios.filter((s) => s.id !== 'bench.crud.create') } : doc));
    const trends = buildTrends(withGap, current, DEFAULT_KEY_LATENCIES);
    expect(trends.map((t) => t.scenarioId)).toEqual(['bench.crud.get_by_id']);
    const trend = trends[0]!;
    expect(trend.labels).toHaveLength(MAX_TREND_RUNS + 1);
    expect(trend.labels[0]).toBe('1:0000004');
    expect(trend.values.slice(0, -1)).toEqual(long.slice(0, MAX_TREND_RUNS).reverse().map((d) => d.scenarios[0]!.metrics.avg_ms!.value));
    expect(trend.values.at(-1)).toBe(0.31);
  });
});
