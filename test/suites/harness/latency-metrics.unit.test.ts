import { describe, expect, it } from 'vitest';
import { summarizeLatencies, toMetric } from '../../../src/suites/harness/latency-metrics.js';

describe('summarizeLatencies', () => {
  it('returns every latency metric with its unit and direction', () => {
    const summary = summarizeLatencies([1, 2, 3, 4]);
    expect(summary.min_ms).toEqual({ value: 1, unit: 'ms', direction: 'lower' });
    expect(summary.avg_ms.value).toBe(2.5);
    expect(summary.p50_ms.value).toBe(2.5);
    expect(summary.p95_ms.value).toBeCloseTo(3.85, 12);
    expect(summary.p99_ms.value).toBeCloseTo(3.97, 12);
    expect(summary.max_ms.value).toBe(4);
    expect(summary.stddev_ms.value).toBe(Math.sqrt(5 / 3));
    expect(Object.keys(summary)).toEqual(['min_ms', 'avg_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'stddev_ms']);
  });

  it('refuses no samples: a scenario with no successful operation has no latency', () => {
    expect(() => summarizeLatencies([])).toThrow(RangeError);
  });

  it('wraps a figure with the unit and direction of its metric', () => {
    expect(toMetric('ops_per_sec', 12)).toEqual({ value: 12, unit: 'ops/s', direction: 'higher' });
  });
});
