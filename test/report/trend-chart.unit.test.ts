import { describe, expect, it } from 'vitest';
import { computeAxisRange, renderTrendChart, TREND_PALETTE } from '../../src/report/trend-chart.js';
import type { Trend } from '../../src/verdict/types.js';
import { makeRepeatedShaComparison } from './report-fixtures.js';

/** WCAG relative luminance of a #rrggbb colour. */
function computeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function computeContrast(a: string, b: string): number {
  const [light, dark] = [computeLuminance(a), computeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('computeAxisRange', () => {
  it('fits values far from zero on round numbers instead of starting at 0', () => {
    expect(computeAxisRange([0.3, 0.31, 0.29, 0.4])).toEqual({ lo: '0.25', hi: '0.45' });
    expect(computeAxisRange([120, 180])).toEqual({ lo: '100', hi: '200' });
  });

  it('spans at least a fifth of the largest value, so run-to-run noise stays small', () => {
    expect(computeAxisRange([0.3, 0.301])).toEqual({ lo: '0.26', hi: '0.34' });
  });

  it('starts at 0 when the values come near it, and survives all zeros', () => {
    expect(computeAxisRange([0.01, 0.9])).toEqual({ lo: '0', hi: '1' });
    expect(computeAxisRange([0, 0])).toEqual({ lo: '0', hi: '1' });
  });
});

describe('renderTrendChart', () => {
  const comparison = makeRepeatedShaComparison();
  const chart = renderTrendChart(comparison);

  it('sets its own palette through an init directive and names every line by colour underneath', () => {
    expect(chart).toContain(
      '%%{init: {"xyChart":{"width":900,"xAxis":{"labelFontSize":12}},"themeVariables":{"xyChart":{"plotColorPalette":"#2f81f7, #e8590c, #2f9e44, #8b5cf6, #e03131"}}}}%%',
    );
    const legend = chart.split('\n').filter((line) => line.startsWith('- '));
    expect(legend).toEqual([
      '- 🟦 blue: bench.crud.get\\_by\\_id avg\\_ms, regressed',
      '- 🟧 orange: bench.crud.create avg\\_ms',
      '- 🟩 green: bench.crud.update avg\\_ms',
      '- 🟪 purple: bench.query.get\\_by\\_username avg\\_ms',
    ]);
    expect(chart.match(/^ {2}line \[/gm)).toHaveLength(4);
  });

  it('labels runs of one commit apart and ranges the y axis around the values', () => {
    expect(chart).toContain('x-axis ["1:1e61571", "2:1e61571", "3:1e61571", "4:248d585", "5:248d585", "6:ebed3fc", "7:62d398b", "8:62d398b", "9:62d398b", "10:ea74ed6", "this run"]');
    expect(chart).toMatch(/^ {2}y-axis "ms" 0\.2 --> 1\.2$/m);
  });

  it('keeps repeated labels of an older comparison apart too', () => {
    const trend: Trend = { scenarioId: 'bench.crud.get_by_id', metric: 'avg_ms', labels: ['1e61571', '1e61571', 'this run'], values: [0.3, 0.31, 0.3] };
    expect(renderTrendChart({ trends: [trend], verdicts: [] })).toContain('x-axis ["1 1e61571", "2 1e61571", "3 this run"]');
  });

  it('draws nothing without two runs', () => {
    const trend: Trend = { scenarioId: 'bench.crud.get_by_id', metric: 'avg_ms', labels: ['this run'], values: [0.3] };
    expect(renderTrendChart({ trends: [trend], verdicts: [] })).toBe('');
    expect(renderTrendChart({ trends: [], verdicts: [] })).toBe('');
  });

  it('uses colours that read on GitHub light and dark pages (contrast at least 3:1 on both)', () => {
    for (const { color } of TREND_PALETTE) {
      expect(computeContrast(color, '#ffffff'), `${color} on light`).toBeGreaterThanOrEqual(3);
      expect(computeContrast(color, '#0d1117'), `${color} on dark`).toBeGreaterThanOrEqual(3);
    }
  });
});
